import { Pagination } from "react-admin";

/** Cursor-paged lists: previous/next only, at most 200 rows (the API's limit). */
export const ListPagination = () => <Pagination rowsPerPageOptions={[25, 50, 100, 200]} />;
