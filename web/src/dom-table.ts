/** A <table> with the given class and header cells, and its empty body (the sidebar's result tables). */
export function headedTable(
  className: string,
  headers: readonly string[],
): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const table = document.createElement('table');
  table.className = className;
  const tr = table.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement('th');
    th.textContent = h;
    tr.append(th);
  }
  return { table, body: table.createTBody() };
}
