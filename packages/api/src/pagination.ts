/** Page-number pagination shared by the listings: `{ items, total, page, pageSize, pageCount }`. */
export type PageInput = { page: number; pageSize: number };

export const pageWindow = ({ page, pageSize }: PageInput) => ({ skip: (page - 1) * pageSize, take: pageSize });

export async function paged<T>(input: PageInput, items: Promise<T[]>, total: Promise<number>) {
  const [rows, count] = await Promise.all([items, total]);
  return {
    items: rows,
    total: count,
    page: input.page,
    pageSize: input.pageSize,
    pageCount: Math.max(1, Math.ceil(count / input.pageSize)),
  };
}
