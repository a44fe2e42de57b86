/** Base URL of the API, without a trailing slash; "" = same origin (`/v1` beside the console). */
export const API_URL: string = (import.meta.env.VITE_API_URL ?? "").replace(/\/+$/, "");
