// Runs once when a server instance starts: validates the configuration, migrates the database and
// creates the first administrator, before the first request is served.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./server/startup");
  await startServer();
}
