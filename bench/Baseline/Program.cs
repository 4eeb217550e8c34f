using System.Text.Json;

// The bench's yardstick: the least a server can do for a PATCH (read the body, parse it as JSON, write JSON back)
// on the same Kestrel, with no authentication, validation or storage. Clientele's throughput is reported as a
// ratio to this one's, measured on the same machine with the same load generator and connection count.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

var app = builder.Build();
app.MapPatch("/v1/customers/{id:long}", Echo);
app.MapGet("/healthz", () => "ok");
await app.RunAsync();

static async Task Echo(long id, HttpContext context)
{
    using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
    context.Response.ContentType = "application/json";
    await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
    document.WriteTo(writer);
    await writer.FlushAsync(context.RequestAborted);
}
