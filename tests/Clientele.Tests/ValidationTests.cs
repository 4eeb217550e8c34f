using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// Spec §3 input rules: a broken value is a 400 whose first code is the field path, and the request writes nothing.
/// Bodies are written compactly: <c>~N~</c> stands for N letters.
/// </summary>
public sealed partial class ValidationTests
{
    private const string Rich = """
        {"name":"John Doe","email":"john@example.com","userId":"crm-17","company":"Acme","phone":"+380501234567",
         "firstSeen":1603885746,"location":{"city":"Kyiv","countryCode":"UA"},"locale":"uk","notes":"vip",
         "tags":[{"name":"Lead","color":"#112233"}],"customData":{"plan":"pro","seats":5}}
        """;

    /// <summary>A member that breaks one rule of spec §3, and the code the 400 must carry first.</summary>
    public static TheoryData<string, string> BrokenFields => new()
    {
        // String fields given an object, an array or a boolean.
        { "\"name\":{}", "name" },
        { "\"email\":[]", "email" },
        { "\"userId\":true", "userId" },
        { "\"company\":{\"a\":1}", "company" },
        { "\"phone\":false", "phone" },
        { "\"source\":[1]", "source" },
        { "\"referer\":{}", "referer" },
        { "\"lastPage\":true", "lastPage" },
        { "\"createdFrom\":[]", "createdFrom" },
        { "\"integrationId\":{}", "integrationId" },
        { "\"notes\":true", "notes" },
        { "\"city\":{}", "city" },
        { "\"regionCode\":true", "regionCode" },
        { "\"countryCode\":[]", "countryCode" },
        { "\"location\":{\"city\":[]}", "location.city" },
        { "\"location\":{\"regionCode\":{}}", "location.regionCode" },
        // One character over the limit.
        { "\"name\":\"~256~\"", "name" },
        { "\"userId\":\"~256~\"", "userId" },
        { "\"company\":\"~256~\"", "company" },
        { "\"phone\":\"~256~\"", "phone" },
        { "\"email\":\"~244~@example.com\"", "email" },
        { "\"createdFrom\":\"~256~\"", "createdFrom" },
        { "\"integrationId\":\"~256~\"", "integrationId" },
        { "\"source\":\"~2049~\"", "source" },
        { "\"referer\":\"~2049~\"", "referer" },
        { "\"lastPage\":\"~2049~\"", "lastPage" },
        { "\"notes\":\"~65536~\"", "notes" },
        { "\"city\":\"~256~\"", "city" },
        { "\"location\":{\"countryCode\":\"~256~\"}", "location.countryCode" },
        // Email that does not look like local@domain.
        { "\"email\":\"not-an-email\"", "email" },
        { "\"email\":\"john@\"", "email" },
        { "\"email\":\"@example.com\"", "email" },
        { "\"email\":\"john doe@example.com\"", "email" },
        { "\"email\":\"a@b@example.com\"", "email" },
        // Timestamps: non-numeric string, negative, boolean, object.
        { "\"firstSeen\":\"yesterday\"", "firstSeen" },
        { "\"firstSeen\":\"12abc\"", "firstSeen" },
        { "\"firstSeen\":\"\"", "firstSeen" },
        { "\"firstSeen\":-1", "firstSeen" },
        { "\"firstSeen\":true", "firstSeen" },
        { "\"lastSeen\":\"-5\"", "lastSeen" },
        { "\"lastSeen\":false", "lastSeen" },
        { "\"lastSeen\":{}", "lastSeen" },
        // Flags take a JSON boolean only.
        { "\"unsubscribed\":\"true\"", "unsubscribed" },
        { "\"unsubscribed\":1", "unsubscribed" },
        { "\"blocked\":\"yes\"", "blocked" },
        { "\"blocked\":0", "blocked" },
        // Locale: ISO 639-1, optionally with a region.
        { "\"locale\":\"english\"", "locale" },
        { "\"locale\":\"xx\"", "locale" },
        { "\"locale\":true", "locale" },
        // Location must be an object.
        { "\"location\":\"Kyiv\"", "location" },
        { "\"location\":[]", "location" },
        { "\"location\":5", "location" },
        // Tags: an array of objects with a non-blank name <= 100 and a colour <= 32.
        { "\"tags\":\"Lead\"", "tags" },
        { "\"tags\":{\"name\":\"Lead\"}", "tags" },
        { "\"tags\":[\"Lead\"]", "tags[0]" },
        { "\"tags\":[{\"name\":\"\"}]", "tags[0].name" },
        { "\"tags\":[{\"name\":\"   \"}]", "tags[0].name" },
        { "\"tags\":[{\"color\":\"#ffffff\"}]", "tags[0].name" },
        { "\"tags\":[{\"name\":\"~101~\"}]", "tags[0].name" },
        { "\"tags\":[{\"name\":\"A\"},{\"name\":\"B\",\"color\":\"~33~\"}]", "tags[1].color" },
        // customData: scalar values only, a property must be named.
        { "\"customData\":{\"plan\":{\"tier\":1}}", "customData.plan" },
        { "\"customData\":{\"plan\":[1]}", "customData.plan" },
        { "\"customData\":[{\"property\":\"plan\",\"value\":{\"x\":1}}]", "customData[0].value" },
        { "\"customData\":[{\"property\":\"plan\",\"value\":[\"a\"]}]", "customData[0].value" },
        { "\"customData\":[{\"property\":\"\",\"value\":1}]", "customData[0].property" },
        { "\"customData\":[{\"value\":1}]", "customData[0].property" },
        { "\"customData\":\"plan\"", "customData" },
    };

    /// <summary>One case of each rule: PUT reads bodies with the same validator as PATCH, which runs every case.</summary>
    public static TheoryData<string, string> OneBrokenFieldPerRule => new()
    {
        { "\"email\":[]", "email" },
        { "\"location\":{\"city\":[]}", "location.city" },
        { "\"name\":\"~256~\"", "name" },
        { "\"lastPage\":\"~2049~\"", "lastPage" },
        { "\"notes\":\"~65536~\"", "notes" },
        { "\"email\":\"not-an-email\"", "email" },
        { "\"firstSeen\":\"yesterday\"", "firstSeen" },
        { "\"lastSeen\":-1", "lastSeen" },
        { "\"blocked\":\"yes\"", "blocked" },
        { "\"locale\":\"english\"", "locale" },
        { "\"location\":\"Kyiv\"", "location" },
        { "\"tags\":{\"name\":\"Lead\"}", "tags" },
        { "\"tags\":[{\"name\":\"\"}]", "tags[0].name" },
        { "\"tags\":[{\"name\":\"A\"},{\"name\":\"B\",\"color\":\"~33~\"}]", "tags[1].color" },
        { "\"customData\":{\"plan\":{\"tier\":1}}", "customData.plan" },
        { "\"customData\":[{\"property\":\"plan\",\"value\":{\"x\":1}}]", "customData[0].value" },
    };

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public async Task Create_WithBrokenField_Answers400WithFieldCodeFirstAndWritesNothing(string member, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var answer = await client.CallAsync(HttpMethod.Post, "customers", Body(member));

        answer.AssertError(HttpStatusCode.BadRequest, code);
        Assert.Equal(0, await client.TotalAsync());
    }

    [Theory]
    [MemberData(nameof(OneBrokenFieldPerRule))]
    public async Task Put_WithBrokenField_Answers400WithFieldCodeFirstAndLeavesTheCustomerUnchanged(string member, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(Rich);
        var before = await client.GetRawAsync(id);

        var answer = await client.CallAsync(HttpMethod.Put, $"customers/{id}", Body(member));

        answer.AssertError(HttpStatusCode.BadRequest, code);
        Assert.Equal(before, await client.GetRawAsync(id));
    }

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public async Task Patch_WithBrokenField_Answers400WithFieldCodeFirstAndLeavesTheCustomerUnchanged(string member, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(Rich);
        var before = await client.GetRawAsync(id);

        var answer = await client.CallAsync(HttpMethod.Patch, $"customers/{id}", Body(member));

        answer.AssertError(HttpStatusCode.BadRequest, code);
        Assert.Equal(before, await client.GetRawAsync(id));
    }

    [Theory]
    [InlineData("name", 255)]
    [InlineData("company", 255)]
    [InlineData("userId", 255)]
    [InlineData("city", 255)]
    [InlineData("source", 2048)]
    [InlineData("referer", 2048)]
    [InlineData("lastPage", 2048)]
    [InlineData("notes", 65535)]
    public async Task Create_WithStringAtItsMaximumLength_IsAccepted(string field, int length)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var text = new string('x', length);

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", $$"""{"{{field}}":"{{text}}"}""");

        Assert.True(status == HttpStatusCode.Created, $"{(int)status}: {Shorten(body)}");
        using var document = JsonDocument.Parse(body);
        var stored = field == "city" ? document.RootElement.GetProperty("location").GetProperty("city") : document.RootElement.GetProperty(field);
        Assert.Equal(text, stored.GetString());
    }

    [Fact]
    public async Task Create_WithTagNameOf100AndColourOf32_IsAccepted()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var name = new string('n', 100);
        var color = new string('c', 32);

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", $$"""{"tags":[{"name":"{{name}}","color":"{{color}}"}]}""");

        Assert.True(status == HttpStatusCode.Created, body);
        Assert.Contains($$"""{"name":"{{name}}","color":"{{color}}"}""", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("uk")]
    [InlineData("pt-BR")]
    [InlineData("en_US")]
    public async Task Create_WithValidLocale_StoresIt(string locale)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", $$"""{"locale":"{{locale}}"}""");

        Assert.True(status == HttpStatusCode.Created, body);
        Assert.Contains($"\"locale\":\"{locale}\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithNumberForStringFieldAndEmptyUserIdAndEmail_StoresTextAndNulls()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers",
            """{"phone":380501234567,"userId":"","email":"","firstSeen":"1603885746.123"}""");

        Assert.True(status == HttpStatusCode.Created, body);
        Assert.Contains("\"email\":null,\"userId\":null,", body, StringComparison.Ordinal);
        Assert.Contains("\"phone\":\"380501234567\",\"firstSeen\":\"1603885746\",", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithSeveralBrokenFields_AnswersOneEntryPerFailingField()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", """
            {"name":"ok","email":"nope","firstSeen":"soon","blocked":"no","locale":"english",
             "tags":[{"name":""},{"name":"B","color":"~33~"}],"customData":{"plan":{}}}
            """.Replace("~33~", new string('c', 33), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var codes = HttpExtensions.ErrorCodes(body);
        Assert.Equal(
            ["blocked", "customData.plan", "email", "firstSeen", "locale", "tags[0].name", "tags[1].color"],
            codes.Order(StringComparer.Ordinal));
        Assert.Equal(0, await client.TotalAsync());
    }

    [Fact]
    public async Task Patch_WithSeveralBrokenFields_AnswersOneEntryPerFailingFieldAndChangesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(Rich);
        var before = await client.GetRawAsync(id);

        var (status, body) = await client.CallAsync(HttpMethod.Patch, $"customers/{id}",
            """{"name":"Changed","email":"nope","lastSeen":-3,"location":{"city":true},"customData":[{"property":"","value":1}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(
            ["customData[0].property", "email", "lastSeen", "location.city"],
            HttpExtensions.ErrorCodes(body).Order(StringComparer.Ordinal));
        Assert.Equal(before, await client.GetRawAsync(id));
    }

    [Fact]
    public async Task Create_WithMoreThan100Tags_Answers400TagsAndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var tags = string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{"name":"t{{i}}"}"""));

        var answer = await client.CallAsync(HttpMethod.Post, "customers", $$"""{"tags":[{{tags}}]}""");

        answer.AssertError(HttpStatusCode.BadRequest, "tags");
        Assert.Equal(0, await client.TotalAsync());
    }

    [Fact]
    public async Task AddTags_BeyondOneHundredInAll_Answers400AndLeavesTheCustomerUnchanged()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var first = string.Join(",", Enumerable.Range(0, 100).Select(i => $$"""{"name":"t{{i}}"}"""));
        var id = await client.CreateCustomerAsync($$"""{"tags":[{{first}}]}""");
        var before = await client.GetRawAsync(id);

        var answer = await client.CallAsync(HttpMethod.Put, $"customers/{id}/tags", """{"tags":[{"name":"one-more"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        HttpExtensions.ErrorCodes(answer.Body);
        Assert.Equal(before, await client.GetRawAsync(id));
    }

    [Fact]
    public async Task Create_WithMoreThan200CustomDataProperties_Answers400CustomDataAndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var properties = string.Join(",", Enumerable.Range(0, 201).Select(i => $"\"p{i}\":{i}"));

        var answer = await client.CallAsync(HttpMethod.Post, "customers", "{\"customData\":{" + properties + "}}");

        answer.AssertError(HttpStatusCode.BadRequest, "customData");
        Assert.Equal(0, await client.TotalAsync());
    }

    [Theory]
    [InlineData("""{"name":""")]
    [InlineData("not json")]
    [InlineData("""{"name":"a",}""")]
    [InlineData("""{"name":"a"} trailing""")]
    [InlineData("[]")]
    [InlineData("""[{"name":"a"}]""")]
    [InlineData("\"John\"")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task Create_WithBodyThatIsNotAJsonObject_Answers400InvalidJsonAndWritesNothing(string body)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var answer = await client.CallAsync(HttpMethod.Post, "customers", body);

        answer.AssertError(HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal(0, await client.TotalAsync());
    }

    [Theory]
    [InlineData("PUT", "", """{"name":"x" """)]
    [InlineData("PATCH", "", "name=x")]
    [InlineData("PATCH", "", """[{"name":"x"}]""")]
    [InlineData("PUT", "", "\"x\"")]
    [InlineData("PUT", "/tags", """{"tags":[{"name":"x"}""")]
    [InlineData("PUT", "/tags", """[{"name":"x"}]""")]
    [InlineData("DELETE", "/tags", """{"tags":[{"name":"Lead"}]""")]
    public async Task Update_WithBodyThatIsNotAJsonObject_Answers400InvalidJsonAndLeavesTheCustomerUnchanged(string method, string suffix, string body)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(Rich);
        var before = await client.GetRawAsync(id);

        var answer = await client.CallAsync(new HttpMethod(method), $"customers/{id}{suffix}", body);

        answer.AssertError(HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal(before, await client.GetRawAsync(id));
    }

    [Fact]
    public async Task Create_WithBrokenFields_AnswersTheValidatorTexts()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", """{"name":{},"firstSeen":"soon","tags":[{"name":""}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var document = JsonDocument.Parse(body);
        var messages = document.RootElement.GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("code").GetString()!, e => e.GetProperty("message").GetString());
        Assert.Equal("This value should be of type string.", messages["name"]);
        Assert.Equal("This value should be of type numeric.", messages["firstSeen"]);
        Assert.Equal("This value should not be blank.", messages["tags[0].name"]);
    }

    [Fact]
    public async Task Create_WithJsonNestedDeeperThan32_Answers400AndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var body = "{\"name\":\"deep\",\"notes\":" + new string('[', 40) + new string(']', 40) + "}";

        var answer = await client.CallAsync(HttpMethod.Post, "customers", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        HttpExtensions.ErrorCodes(answer.Body);
        Assert.Equal(0, await client.TotalAsync());
    }

    [Theory]
    [InlineData(32, "notes")]
    [InlineData(33, "invalid_json")]
    public async Task Create_WithJsonNestedToTheDepthLimit_IsJudgedByFieldRulesAndBeyondItIsInvalidJson(int depth, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        // The root object is level 1; the arrays under "notes" make up the rest.
        var body = "{\"notes\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";

        var answer = await client.CallAsync(HttpMethod.Post, "customers", body);

        answer.AssertError(HttpStatusCode.BadRequest, code);
        Assert.Equal(0, await client.TotalAsync());
    }

    [Fact]
    public async Task Patch_WithJsonNestedThousandsDeep_Answers400AndLeavesTheCustomerUnchanged()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(Rich);
        var before = await client.GetRawAsync(id);
        var body = "{\"customData\":" + new string('[', 5000) + new string(']', 5000) + "}";

        var answer = await client.CallAsync(HttpMethod.Patch, $"customers/{id}", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        HttpExtensions.ErrorCodes(answer.Body);
        Assert.Equal(before, await client.GetRawAsync(id));
    }

    [Fact]
    public async Task Create_WithDuplicateUserId_Answers400InvalidUserIdValueAndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"userId":"crm-17"}""");
        var listBefore = await client.ListRawAsync();

        var answer = await client.CallAsync(HttpMethod.Post, "customers", """{"userId":"crm-17","name":"Twin"}""");

        answer.AssertError(HttpStatusCode.BadRequest, "invalid_userId_value");
        Assert.Equal("A customer with this userId already exists.", RefusalAssertions.FirstMessage(answer.Body));
        Assert.Equal(listBefore, await client.ListRawAsync());
    }

    [Fact]
    public async Task Patch_ToAnotherCustomersUserId_Answers400InvalidUserIdValueAndChangesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"userId":"crm-17"}""");
        var id = await client.CreateCustomerAsync("""{"userId":"crm-18","name":"Other","tags":[{"name":"Lead"}]}""");
        var before = await client.GetRawAsync(id);

        var answer = await client.CallAsync(HttpMethod.Patch, $"customers/{id}", """{"userId":"crm-17","name":"Renamed","tags":[{"name":"New"}]}""");

        answer.AssertError(HttpStatusCode.BadRequest, "invalid_userId_value");
        Assert.Equal(before, await client.GetRawAsync(id));
    }

    /// <summary>The broken member beside a valid change, so "nothing written" also covers the valid part.</summary>
    private static string Body(string member)
    {
        var change = member.StartsWith("\"name\"", StringComparison.Ordinal) ? "\"company\":\"Changed Inc\"" : "\"name\":\"Changed\"";
        return "{" + change + "," + Expand(member) + "}";
    }

    private static string Expand(string member) =>
        LengthToken().Replace(member, m => new string('x', int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));

    private static string Shorten(string body) => body.Length > 300 ? body[..300] + "…" : body;

    [GeneratedRegex("~([0-9]+)~")]
    private static partial Regex LengthToken();
}
