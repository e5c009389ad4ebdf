using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Integrations;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Customers;

/// <summary>KYC decisions, whoever takes them: the sandbox provider after the hosted form, or an operator.</summary>
public sealed class CustomerKycService(AppDbContext db, TimeProvider clock)
{
    public async Task<Customer> DecideAsync(long customerId, bool approved, string? reason, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw new OperatorException($"No customer with id {customerId}.");
        if (reason is { Length: > 500 })
        {
            throw new OperatorException("The reason must be at most 500 characters.");
        }
        customer.DecideKyc(approved, reason, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return customer;
    }
}
