using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Infrastructure.Idempotency;

/// <summary>
/// Honours an <c>Idempotency-Key</c> header on a POST: the key, the request's hash and the answer are stored in the
/// same transaction as the handler's effect, so either both commit or neither does. The same key with the same body
/// replays the stored answer; with another body it is refused. Without the header the endpoint runs as usual.
/// </summary>
public sealed class IdempotencyFilter(AppDbContext db, TimeProvider clock, IOptions<JsonOptions> json) : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";
    private const string KeyReused = Contracts.ErrorCodes.IdempotencyKeyReused;
    private const string KeyInvalid = Contracts.ErrorCodes.IdempotencyKeyInvalid;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[HeaderName].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }
        if (key.Length > 255 || key.Any(c => c < 0x21 || c > 0x7E))
        {
            return ApiResults.Error(KeyInvalid, "An Idempotency-Key is 1 to 255 printable ASCII characters.");
        }
        var integration = RequireIntegrationFilter.Get(http);
        var hash = await HashRequestAsync(http.Request);
        if (hash is null)
        {
            // Too large to be a valid request: let the handler give its own answer; there is nothing to remember.
            return await next(context);
        }

        // Two attempts: a concurrent request with the same key may commit first, and then its answer is ours.
        for (var attempt = 0; ; attempt++)
        {
            var existing = await db.IdempotencyRecords.AsNoTracking()
                .SingleOrDefaultAsync(r => r.IntegrationId == integration.Id && r.Key == key, http.RequestAborted);
            if (existing is not null)
            {
                return Replay(existing, hash, http);
            }
            try
            {
                return await RunOnceAsync(context, next, integration.Id, key, hash);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<object?> RunOnceAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, int integrationId, string key, string hash)
    {
        var http = context.HttpContext;
        await using var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted);
        // The handler runs inside this transaction and may recover from a failed save (a sale losing an external_id
        // race answers with the winner's): a savepoint keeps the transaction usable after it.
        db.Database.AutoSavepointsEnabled = true;
        var record = new IdempotencyRecord { IntegrationId = integrationId, Key = key, RequestHash = hash, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.IdempotencyRecords.Add(record);
        // Inserting first makes a concurrent request with the same key wait on the unique index, then fail and replay.
        await db.SaveChangesAsync(http.RequestAborted);

        var result = await next(context);
        if (result is not (IStatusCodeHttpResult and IValueHttpResult { Value: { } value } and IContentTypeHttpResult))
        {
            return result;
        }
        var statusCode = ((IStatusCodeHttpResult)result).StatusCode ?? StatusCodes.Status200OK;
        if (statusCode >= 500)
        {
            return result;
        }
        record.StatusCode = statusCode;
        record.ResponseBody = JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions);
        await db.SaveChangesAsync(http.RequestAborted);
        await transaction.CommitAsync(http.RequestAborted);
        return result;
    }

    private static IResult Replay(IdempotencyRecord existing, string hash, HttpContext http)
    {
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(existing.RequestHash), Encoding.ASCII.GetBytes(hash)))
        {
            return ApiResults.Error(KeyReused, "This Idempotency-Key was already used with a different request.");
        }
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Text(existing.ResponseBody, "application/json", Encoding.UTF8, existing.StatusCode);
    }

    private static async Task<string?> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering(RequestFields.MaxBodyBytes + 1);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        if (buffer.Length > RequestFields.MaxBodyBytes)
        {
            return null;
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        sha.AppendData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
