using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cryptopocket.Server.Data.Migrations;

/// <summary>
/// Each customer's card use of the quarter, kept with the customer instead of summed over their purchases on every
/// card purchase. Not backfilled here: a null quarter means "never kept", and the first card purchase (or method
/// switch) that locks the customer sums their purchases once (<see cref="Features.Payments.CardLimit"/>). A backfill
/// would have to pick "now" for the quarter, and a purchase committed while it ran would be missed.
/// </summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261123000007_CardUse")]
public sealed class Migration0007CardUse : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTime>("card_use_quarter", "customers", nullable: true);
        migrationBuilder.AddColumn<long>("card_use_cents", "customers", nullable: false, defaultValue: 0L);
        if (migrationBuilder.IsNpgsql())
        {
            // As in Migration0006: the default only fills existing rows; the model has none.
            migrationBuilder.Sql("ALTER TABLE customers ALTER COLUMN card_use_cents DROP DEFAULT;");
        }
    }
}
