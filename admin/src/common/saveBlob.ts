/** Offer `blob` as a download named `name` (browser only): a temporary object URL clicked through a hidden link. */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // revoked later, not at once: some browsers start reading the URL after the click returns
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
