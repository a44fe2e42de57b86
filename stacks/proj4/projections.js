// proj4's list of projections in the deployed bundles (replaces node_modules/proj4/projs.js, which adds all of them;
// stacks/proj4/plugin.ts): only those core/geo/projections.ts supports (ADDED_PROJECTIONS; proj4 itself has merc and
// longlat). stacks/proj4/proj4.test.ts checks the two lists agree and each projection against the whole package.
import tmerc from "proj4/lib/projections/tmerc.js";
import etmerc from "proj4/lib/projections/etmerc.js";
import utm from "proj4/lib/projections/utm.js";
import lcc from "proj4/lib/projections/lcc.js";
import aea from "proj4/lib/projections/aea.js";

export default function (proj4) {
  proj4.Proj.projections.add(tmerc);
  proj4.Proj.projections.add(etmerc);
  proj4.Proj.projections.add(utm);
  proj4.Proj.projections.add(lcc);
  proj4.Proj.projections.add(aea);
}
