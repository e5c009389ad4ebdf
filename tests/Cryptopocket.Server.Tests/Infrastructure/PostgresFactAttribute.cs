using Cryptopocket.Server.Infrastructure;

namespace Cryptopocket.Server.Tests.Infrastructure;

/// <summary>
/// A fact that only runs on PostgreSQL (CRYPTOPOCKET_TEST_DATABASE=postgres) and is reported as skipped otherwise, not
/// as passed: <paramref name="needs"/> says what only PostgreSQL has.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute(string needs)
    {
        if (TestDatabase.Provider != DatabaseProvider.Postgres)
        {
            Skip = $"Needs PostgreSQL (CRYPTOPOCKET_TEST_DATABASE=postgres): {needs}";
        }
    }
}
