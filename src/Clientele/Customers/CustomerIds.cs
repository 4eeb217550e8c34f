using System.Globalization;
using System.Text.Json;
using Clientele.Errors;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Clientele.Customers;

public static class CustomerIds
{
    /// <summary>A path id is a positive integer; anything else is a customer that does not exist (404), never a 400.</summary>
    public static bool TryParse(string segment, out long id) =>
        Validation.TryParseInteger(segment, NumberStyles.None, out id) && id > 0;

    /// <summary>
    /// The <c>customer</c> member of a body (events, batch items): required, an integer or numeric string.
    /// Returns 0 for a well-formed id that cannot exist, so it answers 404 like any unknown id.
    /// </summary>
    public static long ReadReference(JsonElement body, string code, ErrorList errors)
    {
        if (!body.TryGetProperty("customer", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(code, Validation.NotBlank);
            return 0;
        }
        if (!TryRead(value, out var id))
        {
            errors.Add(code, Validation.OfType("integer"));
        }
        return id;
    }

    /// <summary>
    /// A customer reference in a body (<c>"customer": 42</c> or <c>"42"</c>). Returns false for a value of the
    /// wrong type; a well-formed id that cannot exist (0, negative, too large) reads as 0, a customer not found.
    /// </summary>
    private static bool TryRead(JsonElement value, out long id)
    {
        id = 0;
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        if (!Validation.TryParseInteger(text, NumberStyles.AllowLeadingSign, out var parsed))
        {
            return text is not null && IsWholeNumber(text);
        }
        id = parsed > 0 ? parsed : 0;
        return true;
    }

    private static bool IsWholeNumber(string text) =>
        text.Length > 0 && text.AsSpan(text[0] == '-' ? 1 : 0).IndexOfAnyExceptInRange('0', '9') < 0 && text != "-";
}

/// <summary>
/// <c>{id:customerId}</c>: matches any segment but the literal routes <c>search</c> and <c>batch</c>, so those are
/// never taken for an id (a wrong method on them is a 405, not a missing customer).
/// </summary>
public sealed class CustomerIdRouteConstraint : IRouteConstraint, IParameterLiteralNodeMatchingPolicy
{
    public const string Name = "customerId";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string segment && MatchesLiteral(routeKey, segment);

    /// <summary>Lets the route table leave the id routes out of the literal ones when it is built, which is what makes the 405.</summary>
    public bool MatchesLiteral(string parameterName, string literal) => literal is not ("search" or "batch");
}
