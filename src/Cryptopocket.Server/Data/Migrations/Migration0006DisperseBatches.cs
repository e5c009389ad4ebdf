using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cryptopocket.Server.Data.Migrations;

/// <summary>
/// Batched payouts: a chain transfer becomes one leg of a transaction that may pay several purchases, so the
/// one-transaction-per-nonce rule moves from (chain, wallet, nonce) to (chain, wallet, nonce, leg) — every transaction
/// has a leg 0, so two different transactions for one nonce still clash there — and the signed bytes of a 100-leg
/// Disperse call need a longer column.
/// </summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261123000006_DisperseBatches")]
public sealed class Migration0006DisperseBatches : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        // Every transfer recorded so far is a transaction of its own: leg 0. The default is then dropped on PostgreSQL
        // so the column matches the model (SQLite cannot drop one without rebuilding the table; a leftover DEFAULT 0 is
        // harmless there, and EF always writes the column).
        migrationBuilder.AddColumn<int>("leg", "chain_transfers", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<string>("disperse_contract", "chain_transfers", maxLength: 42, nullable: true);
        if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.Sql("ALTER TABLE chain_transfers ALTER COLUMN leg DROP DEFAULT;");
            // SQLite's TEXT has no length to widen; PostgreSQL's varchar(4000) does. The number is written out, not taken
            // from the model, so this migration means the same thing whatever the model says later.
            migrationBuilder.Sql("ALTER TABLE chain_transfers ALTER COLUMN raw_transaction TYPE character varying(20000);");
        }
        migrationBuilder.DropIndex("ix_chain_transfers_chain_id_from_address_nonce", "chain_transfers");
        migrationBuilder.CreateIndex("ix_chain_transfers_chain_id_from_address_nonce_leg", "chain_transfers",
            ["chain_id", "from_address", "nonce", "leg"], unique: true);
    }
}
