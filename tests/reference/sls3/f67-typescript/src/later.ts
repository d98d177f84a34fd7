export async function run(event: { n?: number }): Promise<number> {
  return (event.n ?? 1) * 2;
}
