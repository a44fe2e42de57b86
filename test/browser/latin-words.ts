/**
 * Words written in Latin letters in Chinese text too — file formats, standards and names a county
 * clerk reads as they are — which the zh-CN checks (language-walk.test.ts, names.test.ts) allow.
 * Never a word of the interface.
 */
export const FORMAT_WORDS = [
  "GeoJSON", "JSON", "CSV", "WKT", "WGS84", "JPEG", "PNG", "WebP", "HEIC", "MP3", "M4A", "AMR", "WAV", "Leaflet", "OpenStreetMap", "API",
  "HTTPS", "URL", "UTF", "BOM", "Excel", "SVG", "KiB", "MiB",
  // the GIS office's file formats (a Shapefile is .shp/.dbf/.prj/.cpg in a zip)
  "GIS", "Shapefile", "zip", "shp", "dbf", "prj", "cpg",
];
