using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cryptopocket.Server.Data.Migrations;

// Written by hand (the EF design-time tools are not in the registry). Column types are left to the provider so one
// migration serves SQLite and PostgreSQL; MigrationSchemaTests proves the result equals the model on both.
[DbContext(typeof(AppDbContext))]
[Migration("20261121000001_Initial")]
public sealed class Migration0001Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "integrations",
            columns: table => new
            {
                id = table.Column<int>(nullable: false).Identity(),
                name = table.Column<string>(maxLength: 100, nullable: false),
                api_key = table.Column<string>(maxLength: 64, nullable: false),
                secret_hash = table.Column<string>(maxLength: 64, nullable: false),
                secret_protected = table.Column<string>(maxLength: 1000, nullable: false),
                disabled = table.Column<bool>(nullable: false),
                allowed_ips = table.Column<string>(maxLength: 1000, nullable: false),
                allowed_payment_methods = table.Column<string>(maxLength: 200, nullable: false),
                partner_fee_percent = table.Column<decimal>(precision: 9, scale: 4, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
                secret_rotated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_integrations", x => x.id));
        migrationBuilder.CreateIndex("ix_integrations_api_key", "integrations", "api_key", unique: true);
        migrationBuilder.CreateIndex("ix_integrations_name", "integrations", "name", unique: true);

        migrationBuilder.CreateTable(
            name: "api_tokens",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                integration_id = table.Column<int>(nullable: false),
                token_hash = table.Column<string>(maxLength: 64, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
                expires_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_api_tokens", x => x.id);
                table.ForeignKey("fk_api_tokens_integration_id", x => x.integration_id, "integrations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_api_tokens_integration_id", "api_tokens", "integration_id");
        migrationBuilder.CreateIndex("ix_api_tokens_token_hash", "api_tokens", "token_hash", unique: true);

        migrationBuilder.CreateTable(
            name: "customers",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                integration_id = table.Column<int>(nullable: false),
                email = table.Column<string>(maxLength: 254, nullable: false),
                name = table.Column<string>(maxLength: 100, nullable: false),
                last_name = table.Column<string>(maxLength: 100, nullable: false),
                last_name2 = table.Column<string>(maxLength: 100, nullable: true),
                phone = table.Column<string>(maxLength: 20, nullable: false),
                country = table.Column<string>(maxLength: 100, nullable: false),
                country_code = table.Column<string>(maxLength: 3, nullable: false),
                city = table.Column<string>(maxLength: 100, nullable: false),
                address = table.Column<string>(maxLength: 255, nullable: false),
                address_state = table.Column<string>(maxLength: 100, nullable: false),
                zipcode = table.Column<string>(maxLength: 20, nullable: false),
                identification_type = table.Column<string>(maxLength: 40, nullable: false),
                identification_number = table.Column<string>(maxLength: 40, nullable: false),
                password_hash = table.Column<string>(maxLength: 200, nullable: false),
                professional_activity = table.Column<string>(maxLength: 100, nullable: false),
                dob = table.Column<DateOnly>(nullable: false),
                iban = table.Column<string>(maxLength: 34, nullable: true),
                callback_url = table.Column<string>(maxLength: 2048, nullable: true),
                banned = table.Column<bool>(nullable: false),
                kyc_status = table.Column<string>(maxLength: 20, nullable: false),
                kyc_reason = table.Column<string>(maxLength: 500, nullable: true),
                kyc_token = table.Column<string>(maxLength: 64, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
                kyc_updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_customers", x => x.id);
                table.ForeignKey("fk_customers_integration_id", x => x.integration_id, "integrations", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_customers_integration_id_email", "customers", ["integration_id", "email"], unique: true);
        migrationBuilder.CreateIndex(
            "ix_customers_integration_id_identification_type_identification_number", "customers",
            ["integration_id", "identification_type", "identification_number"], unique: true);
        migrationBuilder.CreateIndex("ix_customers_kyc_token", "customers", "kyc_token", unique: true);

        migrationBuilder.CreateTable(
            name: "kyc_documents",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                customer_id = table.Column<long>(nullable: false),
                kind = table.Column<string>(maxLength: 20, nullable: false),
                content_type = table.Column<string>(maxLength: 100, nullable: false),
                content = table.Column<byte[]>(nullable: false),
                sha256 = table.Column<string>(maxLength: 64, nullable: false),
                uploaded_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_kyc_documents", x => x.id);
                table.ForeignKey("fk_kyc_documents_customer_id", x => x.customer_id, "customers", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_kyc_documents_customer_id", "kyc_documents", "customer_id");

        migrationBuilder.CreateTable(
            name: "data_protection_keys",
            columns: table => new
            {
                id = table.Column<int>(nullable: false).Identity(),
                friendly_name = table.Column<string>(maxLength: 200, nullable: false),
                xml = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_data_protection_keys", x => x.id));
    }
}
