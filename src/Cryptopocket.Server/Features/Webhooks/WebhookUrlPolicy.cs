using System.Net;
using System.Net.Sockets;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>
/// Where webhooks may go. In production: https only, and never to loopback, private, link-local or otherwise
/// internal addresses — checked when subscribing and again at every connection (so a DNS answer that changes later
/// cannot turn a webhook into a request into the operator's network). The sandbox allows loopback and plain http.
/// </summary>
public static class WebhookUrlPolicy
{
    public static string? Check(Uri url, bool sandbox)
    {
        if (url.Scheme != Uri.UriSchemeHttps && !(sandbox && url.Scheme == Uri.UriSchemeHttp))
        {
            return sandbox ? "The url must be http or https." : "The url must use https.";
        }
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "The url must not contain credentials.";
        }
        if (!sandbox && IPAddress.TryParse(url.DnsSafeHost, out var literal) && !IsPublic(literal))
        {
            return "The url must not point to a private, loopback or link-local address.";
        }
        if (!sandbox && url.IsLoopback)
        {
            return "The url must not point to a private, loopback or link-local address.";
        }
        return null;
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224);
        }
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
    }

    /// <summary>A connection step that refuses to connect to a non-public address, whatever the DNS answered.</summary>
    public static async ValueTask<Stream> ConnectPublicOnlyAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var target = addresses.FirstOrDefault(IsPublic)
            ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to no public address; webhook refused.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
