using Cryptopocket.Server.Data;
using Cryptopocket.Server.Hosting;
using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cryptopocket.Server.Tests.Data;

/// <summary>
/// The Npgsql settings the server adds to an operator's PostgreSQL connection string (CoreServices.WithConnectionDefaults):
/// auto-prepared statements, and no session reset when a connection returns to the pool (docs/performance.md).
/// </summary>
public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void TheServersContextsPrepareStatementsAndSkipTheSessionResetByDefault()
    {
        var options = new ServerOptions { DataDir = Path.GetTempPath(), Database = "Host=127.0.0.1;Port=5432;Username=app;Database=cryptopocket" };
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        CoreServices.ConfigureDatabase(builder, options);
        using var db = new AppDbContext(builder.Options);

        var used = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());

        Assert.Equal(20, used.MaxAutoPrepare);
        Assert.True(used.NoResetOnClose);
        Assert.Equal("cryptopocket", used.Database);
        Assert.Equal("app", used.Username);
    }

    [Theory]
    [InlineData("Host=db;Username=app;Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    [InlineData("Host=db;Username=app;max auto prepare=5", 5, true)]
    [InlineData("Host=db;Username=app;no reset on close=false", 20, false)]
    [InlineData("Host=db;Username=app;Auto Prepare Min Usages=2", 20, true)]
    [InlineData("Host=db;Username=app;Password='Max Auto Prepare=0;No Reset On Close=false'", 20, true)]
    public void WhatTheOperatorSetIsKept(string connectionString, int autoPrepare, bool noReset)
    {
        var used = new NpgsqlConnectionStringBuilder(CoreServices.WithConnectionDefaults(connectionString));

        Assert.Equal(autoPrepare, used.MaxAutoPrepare);
        Assert.Equal(noReset, used.NoResetOnClose);
    }
}
