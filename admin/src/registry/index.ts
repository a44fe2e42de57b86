import { lazy } from "react";
import HomeIcon from "@mui/icons-material/Home";
import PersonIcon from "@mui/icons-material/Person";
import StorefrontIcon from "@mui/icons-material/Storefront";
import StarIcon from "@mui/icons-material/Star";

/** Registry resources (人口/房屋/场所, 重点人群); pages load on demand. */
const hh = () => import("./households.tsx");
const pp = () => import("./people.tsx");
const pl = () => import("./places.tsx");
const kl = () => import("./keylists.tsx");

export const households = {
  list: lazy(() => hh().then((m) => ({ default: m.HouseholdList }))),
  show: lazy(() => hh().then((m) => ({ default: m.HouseholdShow }))),
  create: lazy(() => hh().then((m) => ({ default: m.HouseholdCreate }))),
  edit: lazy(() => hh().then((m) => ({ default: m.HouseholdEdit }))),
  icon: HomeIcon,
  recordRepresentation: "address",
};
export const people = {
  list: lazy(() => pp().then((m) => ({ default: m.PersonList }))),
  show: lazy(() => pp().then((m) => ({ default: m.PersonShow }))),
  create: lazy(() => pp().then((m) => ({ default: m.PersonCreate }))),
  edit: lazy(() => pp().then((m) => ({ default: m.PersonEdit }))),
  icon: PersonIcon,
  recordRepresentation: "name",
};
export const places = {
  list: lazy(() => pl().then((m) => ({ default: m.PlaceList }))),
  show: lazy(() => pl().then((m) => ({ default: m.PlaceShow }))),
  create: lazy(() => pl().then((m) => ({ default: m.PlaceCreate }))),
  edit: lazy(() => pl().then((m) => ({ default: m.PlaceEdit }))),
  icon: StorefrontIcon,
  recordRepresentation: "name",
};
export const keyLists = {
  list: lazy(() => kl().then((m) => ({ default: m.KeyListList }))),
  show: lazy(() => kl().then((m) => ({ default: m.KeyListShow }))),
  create: lazy(() => kl().then((m) => ({ default: m.KeyListCreate }))),
  edit: lazy(() => kl().then((m) => ({ default: m.KeyListEdit }))),
  icon: StarIcon,
  recordRepresentation: "title",
};
