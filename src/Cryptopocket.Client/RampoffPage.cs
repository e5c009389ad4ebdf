namespace Cryptopocket.Client;

/// <summary>One page of sales, as answered by <c>GET api/rampoffs</c>.</summary>
/// <param name="Rampoffs">The sales of this page, newest first.</param>
/// <param name="Page">The page number, from 1.</param>
/// <param name="PerPage">The page size asked for.</param>
/// <param name="Total">How many sales match the filters, over all pages.</param>
/// <param name="LastPage">The number of the last page; 1 when nothing matches.</param>
public sealed record RampoffPage(IReadOnlyList<RampoffInfo> Rampoffs, int Page, int PerPage, int Total, int LastPage);
