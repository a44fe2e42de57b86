import { ListContextProvider, Pagination, useListContext } from "react-admin";

/**
 * Cursor-paged lists: previous/next only, at most 200 rows (the API's limit). The API gives no
 * total; on the last page it is known (rows before + rows here), so the range reads "51–62 of 62"
 * instead of MUI's "51–100". Nothing under an empty first page.
 */
export const ListPagination = ({ rowsPerPageOptions = [25, 50, 100, 200] }: { rowsPerPageOptions?: number[] }) => {
  const ctx = useListContext();
  const { isPending, page, perPage, hasNextPage } = ctx;
  const rows: number | undefined = ctx.data?.length;
  if (!isPending && page === 1 && !rows) return null;
  const total = ctx.total ?? (!isPending && hasNextPage === false && rows !== undefined ? (page - 1) * perPage + rows : undefined);
  return (
    <ListContextProvider value={{ ...ctx, total } as typeof ctx}>
      <Pagination rowsPerPageOptions={rowsPerPageOptions} />
    </ListContextProvider>
  );
};
