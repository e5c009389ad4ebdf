using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cryptopocket.Server.Data.Migrations;

/// <summary>Webhook subscriptions, deliveries and their attempt log; outbox events learn when they were dispatched.</summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261121000004_Webhooks")]
public sealed class Migration0004Webhooks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTime>("dispatched_at", "outbox_events", nullable: true);
        migrationBuilder.CreateIndex("ix_outbox_events_dispatched_at", "outbox_events", "dispatched_at");

        migrationBuilder.CreateTable(
            name: "webhook_subscriptions",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                integration_id = table.Column<int>(nullable: false),
                type = table.Column<string>(maxLength: 40, nullable: false),
                url = table.Column<string>(maxLength: 2048, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_webhook_subscriptions", x => x.id);
                table.ForeignKey("fk_webhook_subscriptions_integration_id", x => x.integration_id, "integrations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_webhook_subscriptions_integration_id_type", "webhook_subscriptions", ["integration_id", "type"], unique: true);

        migrationBuilder.CreateTable(
            name: "webhook_deliveries",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                event_sequence = table.Column<long>(nullable: false),
                subscription_id = table.Column<long>(nullable: false),
                integration_id = table.Column<int>(nullable: false),
                event_id = table.Column<string>(maxLength: 40, nullable: false),
                event_type = table.Column<string>(maxLength: 40, nullable: false),
                status = table.Column<string>(maxLength: 20, nullable: false),
                attempts = table.Column<int>(nullable: false),
                next_attempt_at = table.Column<DateTime>(nullable: false),
                claimed_until = table.Column<DateTime>(nullable: true),
                last_status_code = table.Column<int>(nullable: true),
                created_at = table.Column<DateTime>(nullable: false),
                delivered_at = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                table.ForeignKey("fk_webhook_deliveries_event_sequence", x => x.event_sequence, "outbox_events", "sequence", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("fk_webhook_deliveries_subscription_id", x => x.subscription_id, "webhook_subscriptions", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_webhook_deliveries_event_sequence_subscription_id", "webhook_deliveries", ["event_sequence", "subscription_id"], unique: true);
        migrationBuilder.CreateIndex("ix_webhook_deliveries_integration_id_created_at", "webhook_deliveries", ["integration_id", "created_at"]);
        migrationBuilder.CreateIndex("ix_webhook_deliveries_status_next_attempt_at", "webhook_deliveries", ["status", "next_attempt_at"]);
        migrationBuilder.CreateIndex("ix_webhook_deliveries_subscription_id_status_event_sequence", "webhook_deliveries", ["subscription_id", "status", "event_sequence"]);

        migrationBuilder.CreateTable(
            name: "webhook_attempts",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                delivery_id = table.Column<long>(nullable: false),
                attempted_at = table.Column<DateTime>(nullable: false),
                status_code = table.Column<int>(nullable: true),
                latency_ms = table.Column<int>(nullable: false),
                response_snippet = table.Column<string>(maxLength: 500, nullable: true),
                error = table.Column<string>(maxLength: 500, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_webhook_attempts", x => x.id);
                table.ForeignKey("fk_webhook_attempts_delivery_id", x => x.delivery_id, "webhook_deliveries", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_webhook_attempts_delivery_id", "webhook_attempts", "delivery_id");
    }
}
