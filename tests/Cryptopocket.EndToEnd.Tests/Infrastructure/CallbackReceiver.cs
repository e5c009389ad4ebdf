using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The partner's page a customer returns to after KYC (<c>callback_url</c>): a loopback HTTP listener that answers
/// every request with a small HTML page and remembers what was asked.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    public const string PageHeading = "Back at the partner";

    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<Uri> _received = new();
    private readonly Task _loop;

    private CallbackReceiver(HttpListener listener, Uri baseAddress)
    {
        _listener = listener;
        BaseAddress = baseAddress;
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    public IReadOnlyCollection<Uri> Received => _received.ToArray();

    public static CallbackReceiver Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var baseAddress = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(baseAddress.ToString());
            try
            {
                listener.Start();
                return new CallbackReceiver(listener, baseAddress);
            }
            catch (HttpListenerException) when (attempt < 3)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            if (context.Request.Url is { } url && url.AbsolutePath != "/favicon.ico")
            {
                _received.Enqueue(url);
            }
            var body = Encoding.UTF8.GetBytes(
                $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Partner</title></head><body><h1 id=\"partner\">{PageHeading}</h1></body></html>");
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = body.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (HttpListenerException)
            {
                // The browser went away.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
