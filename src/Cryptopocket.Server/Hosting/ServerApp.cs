using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Gateway;
using Cryptopocket.Server.Features.Kyc;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Rampoffs;
using Cryptopocket.Server.Features.Settlement.Sandbox;
using Cryptopocket.Server.Features.Webhooks;
using Cryptopocket.Server.Infrastructure;

namespace Cryptopocket.Server.Hosting;

/// <summary>Builds the one ASP.NET Core host: partner API, hosted pages, health and docs.</summary>
public static class ServerApp
{
    public static WebApplication Build(ServerOptions options, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = options.Sandbox ? "Sandbox" : "Production",
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddCryptopocketConfiguration(options);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }
        builder.WebHost.UseKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));

        var services = builder.Services;
        services.AddCryptopocketCore(options, builder.Configuration);
        services.ConfigureHttpJsonOptions(json => CryptopocketJson.Configure(json.SerializerOptions));
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddRazorComponents();
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.Name = "cp_af");
        services.AddOpenApi();
        services.AddHealthChecks();
        services.Configure<SandboxChainOptions>(builder.Configuration.GetSection("SandboxChain"));
        if (options.Sandbox && options.RunSandboxChain && builder.Configuration.GetValue("SandboxChain:Enabled", true))
        {
            services.AddSingleton<SandboxChainHost>();
            services.AddHostedService(sp => sp.GetRequiredService<SandboxChainHost>());
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseSecurityHeaders();
        app.UseRateLimiter();
        // Only the hosted pages post forms; partner API calls skip the antiforgery middleware altogether.
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/api"), pages => pages.UseAntiforgery());

        var api = app.MapGroup("/api");
        api.MapAuthentication();
        var authenticated = api.MapGroup("").AddEndpointFilter<RequireIntegrationFilter>();
        authenticated.MapCustomers();
        authenticated.MapCatalogue();
        authenticated.MapPayments();
        authenticated.MapRampoffs();
        authenticated.MapWebhooks();
        app.MapKycPages();
        app.MapGatewayPages();

        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        app.MapOpenApi("/openapi/{documentName}.json");
        // The docs UI is middleware that matches every request's path against its prefix and looks for an embedded
        // file: only requests under /docs pass through it, so partner API calls do not pay for it.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/docs"), docs => docs.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.SwaggerEndpoint("/openapi/v1.json", "Cryptopocket partner API");
            ui.DocumentTitle = "Cryptopocket partner API";
        }));
        app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
        app.MapFallback((HttpContext http) => http.Request.Path.StartsWithSegments("/api")
            ? ApiResults.Error(ErrorCodes.NotFound, StatusCodes.Status404NotFound, "No such endpoint.")
            : Results.NotFound());
        return app;
    }
}
