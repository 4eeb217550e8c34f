using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Clientele.Auth;
using Clientele.Customers;
using Clientele.Errors;
using Clientele.Json;
using Clientele.OpenApi;
using Clientele.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clientele.Events;

public static class EventsApi
{
    public const int MaxName = 255;

    public static RouteHandlerBuilder MapEvents(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/events", Create).RequireAuthorization().WithTags("Events")
            .DocumentsBody<EventBody>().ProducesErrors([.. ApiDocumentation.CommonErrors, StatusCodes.Status413PayloadTooLarge]);

    /// <summary><c>{"name", "data"?, "customer"}</c> → the stored event; a customer outside the account is a 404.</summary>
    public static async Task<Results<Ok<EventResponse>, BadRequest<ErrorEnvelope>, NotFound<ErrorEnvelope>>> Create(
        HttpRequest request, ClaimsPrincipal user, IEventStore store, CancellationToken cancellationToken)
    {
        var (document, error) = await RequestJson.ReadAsync(request, cancellationToken);
        if (document is null)
        {
            return ErrorResponses.BadRequest(error!);
        }
        string? name;
        string? data;
        long customerId;
        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return ErrorResponses.BadRequest(RequestJson.WrongTopLevel("object"));
            }
            var errors = new ErrorList();
            name = ReadName(body, errors);
            data = ReadData(body, errors);
            customerId = CustomerIds.ReadReference(body, "customer", errors);
            if (errors.Count > 0)
            {
                return ErrorResponses.BadRequest(errors.ToEnvelope());
            }
        }
        if (customerId == 0 || await store.AddAsync(user.AccountId(), customerId, name!, data, cancellationToken) is not { } stored)
        {
            return ErrorResponses.CustomerNotFound();
        }
        return TypedResults.Ok(new EventResponse(stored.Id, stored.Name, stored.DataJson is { } json ? new RawJson(json) : null,
            stored.CreatedAt.ToString(CultureInfo.InvariantCulture), stored.CustomerId));
    }

    private static string? ReadName(JsonElement body, ErrorList errors)
    {
        if (!body.TryGetProperty("name", out var value) || value.ValueKind != JsonValueKind.String && value.ValueKind != JsonValueKind.Null)
        {
            errors.Add("name", value.ValueKind == JsonValueKind.Undefined ? Validation.NotBlank : Validation.OfType("string"));
            return null;
        }
        if (!Validation.TryReadText(value, "name", MaxName, errors, out var name))
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("name", Validation.NotBlank);
            return null;
        }
        return name;
    }

    private static string? ReadData(JsonElement body, ErrorList errors)
    {
        if (!body.TryGetProperty("data", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add("data", Validation.OfType("object"));
            return null;
        }
        return value.GetRawText();
    }
}

public sealed record EventResponse(long Id, string Name, RawJson? Data, string CreatedAt, long Customer);
