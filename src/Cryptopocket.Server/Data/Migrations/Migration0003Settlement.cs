using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cryptopocket.Server.Data.Migrations;

/// <summary>On-chain deliveries (recorded before broadcast) and operator alerts.</summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261121000003_Settlement")]
public sealed class Migration0003Settlement : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "chain_transfers",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                payment_id = table.Column<string>(maxLength: 25, nullable: false),
                chain = table.Column<string>(maxLength: 40, nullable: false),
                chain_id = table.Column<long>(nullable: false),
                from_address = table.Column<string>(maxLength: 42, nullable: false),
                to_address = table.Column<string>(maxLength: 42, nullable: false),
                asset = table.Column<string>(maxLength: 20, nullable: false),
                token_contract = table.Column<string>(maxLength: 42, nullable: true),
                amount_base_units = table.Column<string>(maxLength: 80, nullable: false),
                nonce = table.Column<long>(nullable: false),
                status = table.Column<string>(maxLength: 20, nullable: false),
                tx_hash = table.Column<string>(maxLength: 66, nullable: false),
                previous_hashes = table.Column<string>(maxLength: 2000, nullable: false),
                raw_transaction = table.Column<string>(maxLength: 4000, nullable: false),
                max_fee_per_gas = table.Column<string>(maxLength: 80, nullable: false),
                max_priority_fee_per_gas = table.Column<string>(maxLength: 80, nullable: false),
                gas_limit = table.Column<long>(nullable: false),
                replacements = table.Column<int>(nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
                last_broadcast_at = table.Column<DateTime>(nullable: false),
                block_number = table.Column<long>(nullable: true),
                mined_hash = table.Column<string>(maxLength: 66, nullable: true),
                error = table.Column<string>(maxLength: 500, nullable: true),
                version = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_chain_transfers", x => x.id);
                table.ForeignKey("fk_chain_transfers_payment_id", x => x.payment_id, "payments", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_chain_transfers_chain_id_from_address_nonce", "chain_transfers", ["chain_id", "from_address", "nonce"], unique: true);
        migrationBuilder.CreateIndex("ix_chain_transfers_payment_id", "chain_transfers", "payment_id", unique: true);
        migrationBuilder.CreateIndex("ix_chain_transfers_status_chain", "chain_transfers", ["status", "chain"]);

        migrationBuilder.CreateTable(
            name: "operator_alerts",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                key = table.Column<string>(maxLength: 200, nullable: false),
                message = table.Column<string>(maxLength: 1000, nullable: false),
                raised_at = table.Column<DateTime>(nullable: false),
                last_seen_at = table.Column<DateTime>(nullable: false),
                resolved_at = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_operator_alerts", x => x.id));
        migrationBuilder.CreateIndex("ix_operator_alerts_key_resolved_at", "operator_alerts", ["key", "resolved_at"]);
    }
}
