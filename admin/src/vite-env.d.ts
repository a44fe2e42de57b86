/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the API (no trailing slash). Empty: same origin (the local stack serves `/` and `/v1`). */
  readonly VITE_API_URL: string;
}
