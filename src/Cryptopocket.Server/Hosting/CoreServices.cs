using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Kyc;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Rampoffs;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Webhooks;
using Cryptopocket.Server.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Hosting;

/// <summary>The services every entry point needs, the web host and the operator commands alike.</summary>
public static class CoreServices
{
    public static IConfigurationBuilder AddCryptopocketConfiguration(this IConfigurationBuilder configuration, ServerOptions options)
    {
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false);
        configuration.AddJsonFile(Path.Combine(options.DataDir, "cryptopocket.json"), optional: true);
        configuration.AddEnvironmentVariables("CRYPTOPOCKET_");
        return configuration;
    }

    public static IServiceCollection AddCryptopocketCore(this IServiceCollection services, ServerOptions options, IConfiguration configuration)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.Configure<AuthOptions>(configuration.GetSection("Auth"));
        services.AddWebhooks(configuration, options.Sandbox);
        services.AddPooledDbContextFactory<AppDbContext>((sp, db) =>
        {
            ConfigureDatabase(db, options);
            db.AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor>());
        });
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddDataProtection().SetApplicationName("cryptopocket");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            keys => keys.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IDbContextFactory<AppDbContext>>())));
        services.AddSingleton<PublicUrls>();
        services.AddIntegrations();
        services.AddCustomers();
        services.AddKyc(configuration);
        services.AddCatalogue(configuration);
        services.AddPayments(configuration);
        services.AddSettlement(configuration);
        services.AddRampoffs(configuration, options.Sandbox);
        return services;
    }

    /// <summary>
    /// Npgsql settings the server's pooled connections need for speed, unless the operator's connection string sets
    /// them (docs/performance.md, "Sixth session"):
    /// <list type="bullet">
    /// <item>Npgsql prepares the statements a connection runs most (the same few queries serve every request): a
    /// primary-key read went from about 2.6k to 3.9k requests/s on the benchmark machine.</item>
    /// <item>No session reset when a connection goes back to the pool. Npgsql's reset is seven statements (RESET ALL,
    /// UNLISTEN *, pg_advisory_unlock_all(), …) sent ahead of the next command, so PostgreSQL parsed and ran them before
    /// every request's first query. Nothing here leaves session state on a pooled connection to reset: no session
    /// SET, LISTEN (the listener has an unpooled connection of its own), advisory lock, cursor or temporary table. An
    /// open transaction is still rolled back on return whatever this says. Keep it that way, or turn the reset back on.</item>
    /// </list>
    /// </summary>
    public static string WithConnectionDefaults(string connectionString)
    {
        // The keys the operator wrote, compared as keys: a substring test would take "Auto Prepare Min Usages" for
        // "Max Auto Prepare", or a password's text for a setting.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains(nameof(builder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = 20;
        }
        if (!given.Contains(nameof(builder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    public static void ConfigureDatabase(DbContextOptionsBuilder db, ServerOptions options)
    {
        if (options.Provider == DatabaseProvider.Postgres)
        {
            db.UseNpgsql(WithConnectionDefaults(options.ConnectionString));
        }
        else
        {
            Directory.CreateDirectory(options.DataDir);
            db.UseSqlite(options.ConnectionString);
        }
        // Migrations are hand-written and carry no model snapshot; MigrationSchemaTests is what guards drift.
        db.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }
}
