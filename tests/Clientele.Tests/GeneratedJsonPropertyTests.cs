using System.Net;
using Clientele.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Clientele.Tests;

/// <summary>
/// Properties of JSON and filter parsing (spec §2, §5): bodies generated structurally from the API's grammar,
/// with real member names mixed with others and values of every type (NUL-bearing and not-Unicode text among
/// them), never make the server answer 5xx, every refusal is exactly the envelope, a body holding text that is
/// not valid Unicode is refused whole as <c>invalid_json</c>, and no customer ever comes to hold a NUL.
/// FsCheck shrinks a failing body member by member; <c>FUZZ_SEED</c> replays.
/// </summary>
public sealed class GeneratedJsonPropertyTests
{
    private const int Runs = 1000;

    [Fact]
    public async Task SearchBodies_GeneratedFromTheFilterGrammar_NeverAnswer5xx_AndRefuseOnlyWithTheEnvelope()
    {
        var seed = FuzzSeed.Resolve(nameof(SearchBodies_GeneratedFromTheFilterGrammar_NeverAnswer5xx_AndRefuseOnlyWithTheEnvelope));
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"Lead","email":"john@example.com","firstSeen":1603885746,"tags":[{"name":"Lead"}],"customData":{"plan":"pro"}}""");
        await client.CreateCustomerAsync();

        await RunAsync(JsonShapes.SearchBody, seed, async body => Problem(body, await client.CallAsync(HttpMethod.Post, "customers/search", body)));
    }

    [Fact]
    public async Task PatchBodies_GeneratedFromTheCustomerGrammar_NeverAnswer5xx_AndRefusalsChangeNothing()
    {
        var seed = FuzzSeed.Resolve(nameof(PatchBodies_GeneratedFromTheCustomerGrammar_NeverAnswer5xx_AndRefusalsChangeNothing));
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept","tags":[{"name":"Lead"}],"customData":{"plan":"pro"}}""");

        async Task<string?> PatchAsync(string body)
        {
            var before = await client.GetRawAsync(id);
            var answer = await client.CallAsync(HttpMethod.Patch, $"customers/{id}", body);
            if (Problem(body, answer) is { } problem)
            {
                return problem;
            }
            var after = await client.GetRawAsync(id);
            if (answer.Status == HttpStatusCode.OK && FuzzJson.HoldsNul(after))
            {
                return $"the customer came to hold a NUL, which no stored text may: {after}";
            }
            return answer.Status == HttpStatusCode.OK
                ? after == answer.Body ? null : $"GET shows {after}, the PATCH answered {answer.Body}"
                : after == before ? null : $"a refused PATCH changed the customer from {before} to {after}";
        }

        await RunAsync(JsonShapes.CustomerBody, seed, PatchAsync);
    }

    /// <summary>
    /// What is wrong with the answer to <paramref name="request"/> under spec §2, or null: never 5xx, a non-2xx is
    /// exactly the envelope, and a body holding a name or string that is not valid Unicode is a 400 <c>invalid_json</c>.
    /// </summary>
    private static string? Problem(string request, (HttpStatusCode Status, string Body) answer)
    {
        var (status, body) = ((int)answer.Status, answer.Body);
        if (status >= 500 || status < 200 || status is >= 300 and < 400)
        {
            return $"answered {status}: {body}";
        }
        string[]? codes = null;
        if (status >= 400)
        {
            (codes, var problem) = FuzzSending.Envelope(new FuzzAnswer(status, body, "application/json"));
            if (problem is not null)
            {
                return $"answered {status} without the envelope ({problem}): {body}";
            }
        }
        if (FuzzJson.HoldsInvalidUnicode(System.Text.Encoding.UTF8.GetBytes(request)) && (status != 400 || codes is not ["invalid_json"]))
        {
            return $"a body holding text that is not valid Unicode answered {status}, not 400 invalid_json alone: {body}";
        }
        return null;
    }

    /// <summary>
    /// Checks that <paramref name="check"/> finds no problem with any generated body, from the seed. FsCheck's
    /// last failing evaluation is of the shrunk body, so that one is what the failure shows.
    /// </summary>
    private static async Task RunAsync(Gen<JsonShape> bodies, int seed, Func<string, Task<string?>> check)
    {
        (string Body, string Problem)? last = null;
        // FsCheck properties are synchronous; each HTTP exchange runs to completion off the test's context.
        var property = Prop.ForAll(JsonShapes.Arbitrary(bodies), shape => Task.Run(async () =>
        {
            var body = shape.Write();
            if (await check(body) is { } problem)
            {
                last = (body, problem);
                return false;
            }
            return true;
        }).GetAwaiter().GetResult());
        var config = Config.QuickThrowOnFailure
            .WithMaxTest((int)(Runs * FuzzSeed.Scale))
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd((ulong)(uint)seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));
        try
        {
            await Task.Run(() => Check.One(config, property));
        }
        catch (Exception e) when (e is not OperationCanceledException && last is not null)
        {
            Assert.Fail($"FUZZ_SEED={seed}. Shrunk body: {last.Value.Body}\n→ {last.Value.Problem}\n\nFsCheck: {e.Message}");
        }
    }
}
