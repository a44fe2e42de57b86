/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the API (no trailing slash). Empty: same origin (the local stack serves `/` and `/v1`). */
  readonly VITE_API_URL: string;
  /** Base map tiles (Leaflet URL template, e.g. Tianditu or AMap); empty: boundaries on a blank background. */
  readonly VITE_TILE_URL?: string;
  readonly VITE_TILE_SUBDOMAINS?: string;
  readonly VITE_TILE_ATTRIBUTION?: string;
  readonly VITE_TILE_MAX_ZOOM?: string;
  /** `gcj02` for AMap/Tencent tiles (shapes shifted for display, clicks back); default `wgs84` (Tianditu, OSM) */
  readonly VITE_TILE_CRS?: string;
}
