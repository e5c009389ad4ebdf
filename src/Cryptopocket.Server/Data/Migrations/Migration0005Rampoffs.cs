using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cryptopocket.Server.Data.Migrations;

/// <summary>Off-ramp operations, the deposits found on chain, the watcher's cursor, sweeps and payout files.</summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261122000005_Rampoffs")]
public sealed class Migration0005Rampoffs : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "payout_batches",
            columns: table => new
            {
                id = table.Column<string>(maxLength: 35, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
                execution_date = table.Column<DateOnly>(nullable: false),
                count = table.Column<int>(nullable: false),
                total_cents = table.Column<long>(nullable: false),
                confirmed_at = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_payout_batches", x => x.id));

        migrationBuilder.CreateTable(
            name: "rampoffs",
            columns: table => new
            {
                id = table.Column<string>(maxLength: 25, nullable: false),
                integration_id = table.Column<int>(nullable: false),
                customer_id = table.Column<long>(nullable: false),
                external_id = table.Column<string>(maxLength: 100, nullable: true),
                chain = table.Column<string>(maxLength: 40, nullable: false),
                coin_symbol = table.Column<string>(maxLength: 20, nullable: false),
                decimals = table.Column<int>(nullable: false),
                amount = table.Column<decimal>(precision: 38, scale: 18, nullable: false),
                received_amount = table.Column<decimal>(precision: 38, scale: 18, nullable: false),
                converted_amount = table.Column<decimal>(precision: 38, scale: 18, nullable: false),
                fiat_symbol = table.Column<string>(maxLength: 3, nullable: false),
                rate = table.Column<decimal>(precision: 38, scale: 18, nullable: false),
                partner_fee_percent = table.Column<decimal>(precision: 9, scale: 4, nullable: false),
                gross_fiat_cents = table.Column<long>(nullable: false),
                processing_fee_cents = table.Column<long>(nullable: false),
                network_fee_cents = table.Column<long>(nullable: false),
                partner_fee_cents = table.Column<long>(nullable: false),
                fiat_amount_cents = table.Column<long>(nullable: false),
                iban = table.Column<string>(maxLength: 34, nullable: false),
                bank_name = table.Column<string>(maxLength: 100, nullable: true),
                holder_name = table.Column<string>(maxLength: 200, nullable: false),
                deposit_address = table.Column<string>(maxLength: 42, nullable: false),
                deposit_salt = table.Column<string>(maxLength: 66, nullable: false),
                deposit_factory = table.Column<string>(maxLength: 42, nullable: false),
                status = table.Column<string>(maxLength: 20, nullable: false),
                failure_reason = table.Column<string>(maxLength: 200, nullable: true),
                payout_batch_id = table.Column<string>(maxLength: 35, nullable: true),
                created_at = table.Column<DateTime>(nullable: false),
                deposit_deadline = table.Column<DateTime>(nullable: false),
                received_at = table.Column<DateTime>(nullable: true),
                finished_at = table.Column<DateTime>(nullable: true),
                updated_at = table.Column<DateTime>(nullable: false),
                version = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_rampoffs", x => x.id);
                table.ForeignKey("fk_rampoffs_customer_id", x => x.customer_id, "customers", "id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("fk_rampoffs_integration_id", x => x.integration_id, "integrations", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_rampoffs_chain_deposit_address", "rampoffs", ["chain", "deposit_address"], unique: true);
        migrationBuilder.CreateIndex("ix_rampoffs_chain_status", "rampoffs", ["chain", "status"]);
        migrationBuilder.CreateIndex("ix_rampoffs_customer_id", "rampoffs", "customer_id");
        migrationBuilder.CreateIndex("ix_rampoffs_integration_id_created_at", "rampoffs", ["integration_id", "created_at"]);
        migrationBuilder.CreateIndex("ix_rampoffs_integration_id_external_id", "rampoffs", ["integration_id", "external_id"], unique: true);
        migrationBuilder.CreateIndex("ix_rampoffs_payout_batch_id", "rampoffs", "payout_batch_id");

        migrationBuilder.CreateTable(
            name: "rampoff_deposits",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                rampoff_id = table.Column<string>(maxLength: 25, nullable: false),
                chain = table.Column<string>(maxLength: 40, nullable: false),
                tx_hash = table.Column<string>(maxLength: 66, nullable: false),
                log_index = table.Column<int>(nullable: false),
                block_number = table.Column<long>(nullable: false),
                from_address = table.Column<string>(maxLength: 42, nullable: false),
                to_address = table.Column<string>(maxLength: 42, nullable: false),
                asset = table.Column<string>(maxLength: 20, nullable: false),
                token_contract = table.Column<string>(maxLength: 42, nullable: true),
                amount_base_units = table.Column<string>(maxLength: 80, nullable: false),
                amount = table.Column<decimal>(precision: 38, scale: 18, nullable: false),
                disposition = table.Column<string>(maxLength: 20, nullable: false),
                held_reason = table.Column<string>(maxLength: 40, nullable: true),
                sweep_id = table.Column<long>(nullable: true),
                detected_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_rampoff_deposits", x => x.id);
                table.ForeignKey("fk_rampoff_deposits_rampoff_id", x => x.rampoff_id, "rampoffs", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_rampoff_deposits_chain_tx_hash_log_index", "rampoff_deposits", ["chain", "tx_hash", "log_index"], unique: true);
        migrationBuilder.CreateIndex("ix_rampoff_deposits_chain_to_address_sweep_id", "rampoff_deposits", ["chain", "to_address", "sweep_id"]);
        migrationBuilder.CreateIndex("ix_rampoff_deposits_rampoff_id", "rampoff_deposits", "rampoff_id");

        migrationBuilder.CreateTable(
            name: "chain_scan_cursors",
            columns: table => new
            {
                chain = table.Column<string>(maxLength: 40, nullable: false),
                last_block = table.Column<long>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_chain_scan_cursors", x => x.chain));

        migrationBuilder.CreateTable(
            name: "deposit_sweeps",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                chain = table.Column<string>(maxLength: 40, nullable: false),
                chain_id = table.Column<long>(nullable: false),
                deposit_address = table.Column<string>(maxLength: 42, nullable: false),
                from_address = table.Column<string>(maxLength: 42, nullable: false),
                nonce = table.Column<long>(nullable: false),
                tx_hash = table.Column<string>(maxLength: 66, nullable: false),
                raw_transaction = table.Column<string>(maxLength: 4000, nullable: false),
                status = table.Column<string>(maxLength: 20, nullable: false),
                block_number = table.Column<long>(nullable: true),
                error = table.Column<string>(maxLength: 500, nullable: true),
                created_at = table.Column<DateTime>(nullable: false),
                last_broadcast_at = table.Column<DateTime>(nullable: false),
                confirmed_at = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_deposit_sweeps", x => x.id));
        migrationBuilder.CreateIndex("ix_deposit_sweeps_chain_id_from_address_nonce", "deposit_sweeps", ["chain_id", "from_address", "nonce"], unique: true);
        migrationBuilder.CreateIndex("ix_deposit_sweeps_chain_status", "deposit_sweeps", ["chain", "status"]);
    }
}
