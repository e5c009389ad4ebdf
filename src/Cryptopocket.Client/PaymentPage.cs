namespace Cryptopocket.Client;

/// <summary>One page of purchases, as answered by <c>GET api/payments</c>.</summary>
/// <param name="Payments">The purchases of this page, newest first.</param>
/// <param name="Page">The page number, from 1.</param>
/// <param name="PerPage">The page size asked for.</param>
/// <param name="Total">How many purchases match the filters, over all pages.</param>
/// <param name="LastPage">The number of the last page; 1 when nothing matches.</param>
public sealed record PaymentPage(IReadOnlyList<PaymentInfo> Payments, int Page, int PerPage, int Total, int LastPage);
