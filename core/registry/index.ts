/** The registry (台账): households, people, places and the three key lists. */
export { createHousehold, readHousehold, updateHousehold, deleteHousehold, listHouseholds } from "./households.ts";
export { createPerson, readPerson, updatePerson, deletePerson, listPeople } from "./people.ts";
export { createPlace, readPlace, updatePlace, deletePlace, listPlaces } from "./places.ts";
export { createKeyEntry, readKeyEntry, updateKeyEntry, listKeyEntries } from "./keylists.ts";
export { searchRegistry } from "./search.ts";
export { reveal } from "./reveal.ts";
