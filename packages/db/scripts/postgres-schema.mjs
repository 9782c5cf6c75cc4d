/** The PostgreSQL copy of the SQLite schema: the same models with the provider swapped. */
export function postgresSchema(source) {
  return source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./unused.db"', 'url      = "postgresql://unused"')
    .replace('output     = "../src/generated/sqlite"', 'output     = "../../src/generated/postgresql"');
}
