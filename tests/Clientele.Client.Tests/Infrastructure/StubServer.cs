using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Client.Tests.Infrastructure;

/// <summary>
/// A tiny real HTTP server (Kestrel on a free loopback port) that answers from a script, for what the real server
/// cannot be made to do on demand: a 429 with <c>Retry-After: 1</c>, a 503, a slow answer, a proxy's HTML page.
/// It records every request it receives.
/// </summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubServer(WebApplication app, Uri address)
    {
        _app = app;
        ApiAddress = new Uri(address, "v1/");
    }

    /// <summary><c>http://127.0.0.1:PORT/v1/</c></summary>
    public Uri ApiAddress { get; }

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    /// <param name="respond">Answers request number n (1-based) of the given context.</param>
    public static async Task<StubServer> StartAsync(Func<HttpContext, int, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Urls"] = "http://127.0.0.1:0";
        // The server's appsettings.json sits beside the tests and asks for lifetime messages; a stub keeps quiet.
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
        var app = builder.Build();
        StubServer? stub = null;
        var count = 0;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            stub!.Requests.Enqueue(new StubRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, body,
                context.Request.Headers.Authorization.ToString(), DateTimeOffset.UtcNow));
            await respond(context, Interlocked.Increment(ref count));
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        stub = new StubServer(app, new Uri(address + "/"));
        return stub;
    }

    public static Task Json(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public const string TooManyRequests = """{"errors":[{"code":"too_many_requests","message":"You have exceeded your requests limit"}]}""";

    public static string Customer(long id) => $$$"""
        {"id":{{{id}}},"name":"Stub","email":null,"userId":null,"company":null,"phone":null,"firstSeen":null,"lastSeen":null,
        "location":{"regionCode":null,"countryCode":null,"city":null},
        "device":{"id":null,"ip":null,"timezone":null,"platform":null,"userAgent":null},
        "unsubscribed":false,"blocked":false,"source":null,"referer":null,"lastPage":null,"locale":null,
        "createdFrom":null,"integrationId":null,"notes":null,"tags":[],"customData":{}}
        """;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record StubRequest(string Method, string PathAndQuery, string Body, string Authorization, DateTimeOffset At);
