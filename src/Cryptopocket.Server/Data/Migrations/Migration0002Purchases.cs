using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cryptopocket.Server.Data.Migrations;

/// <summary>On-ramp purchases, the ledger, the event outbox, idempotency keys and imported bank lines.</summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261121000002_Purchases")]
public sealed class Migration0002Purchases : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        // Existing customers get false; the default is then dropped on PostgreSQL so the column matches the model
        // (SQLite cannot drop a default without rebuilding the table, and a leftover DEFAULT 0 is harmless there).
        migrationBuilder.AddColumn<bool>("reinforced_kyc", "customers", nullable: false, defaultValue: false);
        if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.Sql("ALTER TABLE customers ALTER COLUMN reinforced_kyc DROP DEFAULT;");
        }

        migrationBuilder.CreateTable(
            name: "payments",
            columns: table => new
            {
                id = table.Column<string>(maxLength: 25, nullable: false),
                integration_id = table.Column<int>(nullable: false),
                customer_id = table.Column<long>(nullable: false),
                external_id = table.Column<string>(maxLength: 100, nullable: true),
                guided = table.Column<bool>(nullable: false),
                payment_type = table.Column<string>(maxLength: 20, nullable: false),
                fiat_symbol = table.Column<string>(maxLength: 3, nullable: false),
                fiat_amount_cents = table.Column<long>(nullable: false),
                coin_symbol = table.Column<string>(maxLength: 20, nullable: false),
                chain = table.Column<string>(maxLength: 40, nullable: false),
                coin_decimals = table.Column<int>(nullable: false),
                coin_amount = table.Column<decimal>(precision: 38, scale: 18, nullable: false),
                rate = table.Column<decimal>(precision: 38, scale: 18, nullable: false),
                processing_fee_cents = table.Column<long>(nullable: false),
                network_fee_cents = table.Column<long>(nullable: false),
                partner_fee_cents = table.Column<long>(nullable: false),
                wallet = table.Column<string>(maxLength: 100, nullable: true),
                callback_url = table.Column<string>(maxLength: 2048, nullable: true),
                concept = table.Column<long>(nullable: false),
                gateway_token = table.Column<string>(maxLength: 64, nullable: false),
                status = table.Column<string>(maxLength: 20, nullable: false),
                failure_reason = table.Column<string>(maxLength: 200, nullable: true),
                holder_json = table.Column<string>(maxLength: 2000, nullable: true),
                txid = table.Column<string>(maxLength: 100, nullable: true),
                created_at = table.Column<DateTime>(nullable: false),
                expires_at = table.Column<DateTime>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
                paid_at = table.Column<DateTime>(nullable: true),
                version = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_payments", x => x.id);
                table.ForeignKey("fk_payments_customer_id", x => x.customer_id, "customers", "id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("fk_payments_integration_id", x => x.integration_id, "integrations", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_payments_concept", "payments", "concept", unique: true);
        migrationBuilder.CreateIndex("ix_payments_customer_id_created_at", "payments", ["customer_id", "created_at"]);
        migrationBuilder.CreateIndex("ix_payments_gateway_token", "payments", "gateway_token", unique: true);
        migrationBuilder.CreateIndex("ix_payments_integration_id_created_at", "payments", ["integration_id", "created_at"]);
        migrationBuilder.CreateIndex("ix_payments_integration_id_external_id", "payments", ["integration_id", "external_id"], unique: true);
        migrationBuilder.CreateIndex("ix_payments_status_expires_at", "payments", ["status", "expires_at"]);

        migrationBuilder.CreateTable(
            name: "ledger_entries",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                posting_id = table.Column<string>(maxLength: 100, nullable: false),
                account = table.Column<string>(maxLength: 100, nullable: false),
                asset = table.Column<string>(maxLength: 20, nullable: false),
                amount = table.Column<decimal>(precision: 38, scale: 18, nullable: false),
                payment_id = table.Column<string>(maxLength: 25, nullable: true),
                created_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_ledger_entries", x => x.id));
        migrationBuilder.CreateIndex("ix_ledger_entries_account_asset", "ledger_entries", ["account", "asset"]);
        migrationBuilder.CreateIndex("ix_ledger_entries_payment_id", "ledger_entries", "payment_id");
        migrationBuilder.CreateIndex("ix_ledger_entries_posting_id", "ledger_entries", "posting_id");

        migrationBuilder.CreateTable(
            name: "outbox_events",
            columns: table => new
            {
                sequence = table.Column<long>(nullable: false).Identity(),
                id = table.Column<string>(maxLength: 40, nullable: false),
                integration_id = table.Column<int>(nullable: false),
                type = table.Column<string>(maxLength: 40, nullable: false),
                resource_id = table.Column<string>(maxLength: 40, nullable: false),
                payload = table.Column<string>(nullable: false),
                occurred_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_outbox_events", x => x.sequence);
                table.ForeignKey("fk_outbox_events_integration_id", x => x.integration_id, "integrations", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_outbox_events_id", "outbox_events", "id", unique: true);
        migrationBuilder.CreateIndex("ix_outbox_events_integration_id_sequence", "outbox_events", ["integration_id", "sequence"]);

        migrationBuilder.CreateTable(
            name: "idempotency_records",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                integration_id = table.Column<int>(nullable: false),
                key = table.Column<string>(maxLength: 255, nullable: false),
                request_hash = table.Column<string>(maxLength: 64, nullable: false),
                status_code = table.Column<int>(nullable: false),
                response_body = table.Column<string>(nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_idempotency_records", x => x.id);
                table.ForeignKey("fk_idempotency_records_integration_id", x => x.integration_id, "integrations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_idempotency_records_created_at", "idempotency_records", "created_at");
        migrationBuilder.CreateIndex("ix_idempotency_records_integration_id_key", "idempotency_records", ["integration_id", "key"], unique: true);

        migrationBuilder.CreateTable(
            name: "bank_transactions",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                account_iban = table.Column<string>(maxLength: 34, nullable: false),
                entry_reference = table.Column<string>(maxLength: 200, nullable: false),
                amount = table.Column<decimal>(precision: 18, scale: 2, nullable: false),
                currency = table.Column<string>(maxLength: 3, nullable: false),
                is_credit = table.Column<bool>(nullable: false),
                booking_status = table.Column<string>(maxLength: 10, nullable: false),
                booking_date = table.Column<DateOnly>(nullable: true),
                remittance_information = table.Column<string>(maxLength: 1000, nullable: true),
                debtor_name = table.Column<string>(maxLength: 200, nullable: true),
                debtor_iban = table.Column<string>(maxLength: 34, nullable: true),
                status = table.Column<string>(maxLength: 20, nullable: false),
                payment_id = table.Column<string>(maxLength: 25, nullable: true),
                note = table.Column<string>(maxLength: 500, nullable: true),
                source = table.Column<string>(maxLength: 300, nullable: false),
                imported_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_bank_transactions", x => x.id));
        migrationBuilder.CreateIndex("ix_bank_transactions_account_iban_entry_reference", "bank_transactions", ["account_iban", "entry_reference"], unique: true);
        migrationBuilder.CreateIndex("ix_bank_transactions_status", "bank_transactions", "status");
    }
}
