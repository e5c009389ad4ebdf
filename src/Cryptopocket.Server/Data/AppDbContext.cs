using System.Text;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Banking;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Kyc;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Rampoffs;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Webhooks;
using Cryptopocket.Server.Infrastructure.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cryptopocket.Server.Data;

public sealed class AppDbContext : DbContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options) : base(options)
    {
        // EF otherwise wraps every save inside a transaction in SAVEPOINT … RELEASE: two more round trips per save, so
        // that code could carry on in the transaction after a failed save. Our transactions are abandoned whole when a
        // save fails; the one that hosts code which recovers (the Idempotency-Key transaction) turns them back on.
        // Set here, it is also what a pooled context is reset to.
        Database.AutoSavepointsEnabled = false;
    }

    /// <summary>
    /// Whether this context talks to PostgreSQL, asked of EF once per context. EF's <c>IsNpgsql()</c> compares the
    /// provider's assembly name, which it parses anew on every call: about 3 % of the purchase batches' CPU went there
    /// in a profile (docs/performance.md, "Thirteenth session").
    /// </summary>
    public bool IsPostgres => _isPostgres ??= Database.IsNpgsql();

    private bool? _isPostgres;

    public DbSet<Integration> Integrations => Set<Integration>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<KycDocument> KycDocuments => Set<KycDocument>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<OutboxEvent> OutboxEvents => Set<OutboxEvent>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<BankTransaction> BankTransactions => Set<BankTransaction>();
    public DbSet<ChainTransfer> ChainTransfers => Set<ChainTransfer>();
    public DbSet<OperatorAlert> OperatorAlerts => Set<OperatorAlert>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<Rampoff> Rampoffs => Set<Rampoff>();
    public DbSet<RampoffDeposit> RampoffDeposits => Set<RampoffDeposit>();
    public DbSet<ChainScanCursor> ChainScanCursors => Set<ChainScanCursor>();
    public DbSet<DepositSweep> DepositSweeps => Set<DepositSweep>();
    public DbSet<PayoutBatch> PayoutBatches => Set<PayoutBatch>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        modelBuilder.Entity<DataProtectionKey>().Property(k => k.FriendlyName).HasMaxLength(200);
        ApplySnakeCaseNames(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC. SQLite hands DateTime back as Unspecified; say what it is.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <summary>snake_case tables, columns, keys and indexes: what an operator expects to type in psql.</summary>
    private static void ApplySnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            entity.SetTableName(Plural(ToSnakeCase(entity.ClrType.Name)));
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
            foreach (var key in entity.GetKeys())
            {
                key.SetName($"pk_{entity.GetTableName()}");
            }
            foreach (var foreignKey in entity.GetForeignKeys())
            {
                var columns = string.Join("_", foreignKey.Properties.Select(p => p.GetColumnName()));
                foreignKey.SetConstraintName($"fk_{entity.GetTableName()}_{columns}");
            }
            foreach (var index in entity.GetIndexes())
            {
                var columns = string.Join("_", index.Properties.Select(p => p.GetColumnName()));
                index.SetDatabaseName($"ix_{entity.GetTableName()}_{columns}");
            }
        }
    }

    private static string Plural(string name) =>
        name.EndsWith('y') && !"aeiou".Contains(name[^2], StringComparison.Ordinal) ? name[..^1] + "ies"
        : name.EndsWith("ch", StringComparison.Ordinal) || name.EndsWith("sh", StringComparison.Ordinal) || name.EndsWith('s') || name.EndsWith('x') ? name + "es"
        : name + "s";

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
