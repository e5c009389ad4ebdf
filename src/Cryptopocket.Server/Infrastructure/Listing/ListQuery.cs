using Cryptopocket.Contracts;
using Cryptopocket.Server.Infrastructure.Validation;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Infrastructure.Listing;

/// <summary>What a partner's list endpoint can filter on: the rows of one integration, each of one customer.</summary>
public interface IListedRow
{
    string Id { get; }
    int IntegrationId { get; }
    long CustomerId { get; }
    string? ExternalId { get; }
    string Status { get; }
    DateTime CreatedAt { get; }
}

/// <summary>
/// The filters and page every list endpoint takes (docs/api.md, "GET /api/payments"): <c>status</c>,
/// <c>external_id</c>, <c>user_id</c>, <c>from</c> (inclusive) and <c>to</c> (exclusive) on <c>created_at</c>,
/// <c>page</c> from 1 and <c>per_page</c> 1–100; newest first.
/// </summary>
public sealed record ListQuery(string? Status, string? ExternalId, long? UserId, DateTime? From, DateTime? To, int Page, int PerPage)
{
    public static (ListQuery? Query, IResult? Error) Parse(HttpRequest request, IReadOnlyCollection<string> statuses)
    {
        var validator = new Validator(RequestFields.FromQuery(request));
        var status = validator.OneOf("status", required: false, statuses);
        var externalId = validator.Text("external_id", required: false, maxLength: 100);
        var userId = validator.WholeNumber("user_id", required: false);
        var from = validator.Timestamp("from", required: false);
        var to = validator.Timestamp("to", required: false);
        var page = (int)(validator.WholeNumber("page", required: false, min: 1, max: 1_000_000) ?? 1);
        var perPage = (int)(validator.WholeNumber("per_page", required: false, min: 1, max: 100) ?? 20);
        return validator.HasErrors ? (null, validator.ToResult()) : (new ListQuery(status, externalId, userId, from, to, page, perPage), null);
    }

    /// <summary>The integration's rows that match, newest first, one page of them with the documented pagination.</summary>
    public async Task<IResult> PageAsync<TRow, TDetail>(IQueryable<TRow> rows, int integrationId, Func<TRow, TDetail> toDetail, CancellationToken cancellationToken)
        where TRow : class, IListedRow
    {
        var query = rows.AsNoTracking().Where(r => r.IntegrationId == integrationId);
        if (Status is not null)
        {
            query = query.Where(r => r.Status == Status);
        }
        if (ExternalId is not null)
        {
            query = query.Where(r => r.ExternalId == ExternalId);
        }
        if (UserId is not null)
        {
            query = query.Where(r => r.CustomerId == UserId);
        }
        if (From is not null)
        {
            query = query.Where(r => r.CreatedAt >= From);
        }
        if (To is not null)
        {
            query = query.Where(r => r.CreatedAt < To);
        }
        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id)
            .Skip((Page - 1) * PerPage).Take(PerPage).ToListAsync(cancellationToken);
        var lastPage = Math.Max(1, (total + PerPage - 1) / PerPage);
        return TypedResults.Json(new PageResponse<TDetail>(Envelope.Ok, page.Select(toDetail).ToList(), new Pagination(Page, PerPage, total, lastPage)));
    }
}
