using System.Security.Claims;
using System.Text.Json;
using Clientele.Auth;
using Clientele.Errors;
using Clientele.Json;
using Clientele.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clientele.Customers;

/// <summary><c>PUT /v1/customers/batch</c>: up to ten PATCH bodies, each naming its customer, applied all or nothing.</summary>
public static class BatchApi
{
    public const int MaxItems = 10;

    public static RouteHandlerBuilder MapCustomerBatch(this RouteGroupBuilder customers) => customers.MapPut("/batch", Update);

    public static async Task<Results<Ok<CustomerBatchResponse>, BadRequest<ErrorEnvelope>, NotFound<ErrorEnvelope>>> Update(
        HttpRequest request, ClaimsPrincipal user, ICustomerStore store, CancellationToken cancellationToken)
    {
        var (document, error) = await RequestJson.ReadAsync(request, cancellationToken);
        if (document is null)
        {
            return ErrorResponses.BadRequest(error!);
        }
        List<BatchEdit> edits;
        using (document)
        {
            (edits, error) = Read(document.RootElement);
        }
        if (error is not null)
        {
            return ErrorResponses.BadRequest(error);
        }

        var outcome = await store.UpdateManyAsync(user.AccountId(), edits, cancellationToken);
        return outcome.Failure.Status switch
        {
            WriteStatus.Ok => TypedResults.Ok(new CustomerBatchResponse([.. outcome.Customers.Select(CustomerResponse.From)])),
            WriteStatus.NotFound => ErrorResponses.CustomerNotFound(),
            WriteStatus.DuplicateUserId => ErrorResponses.BadRequest(ErrorCodes.UserIdTaken),
            _ => ErrorResponses.BadRequest(outcome.Failure.Errors!),
        };
    }

    /// <summary>Validates every item before anything is written; codes carry the item index (<c>[2].email</c>).</summary>
    private static (List<BatchEdit> Edits, ErrorEnvelope? Error) Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            return ([], RequestJson.WrongTopLevel("array of customers"));
        }
        var count = body.GetArrayLength();
        if (count is 0 or > MaxItems)
        {
            return ([], ErrorEnvelope.Of("batch", count == 0
                ? "This collection should contain 1 element or more."
                : Validation.TooMany(MaxItems)));
        }

        var errors = new ErrorList();
        var edits = new List<BatchEdit>(count);
        var seen = new HashSet<long>();
        var index = 0;
        foreach (var item in body.EnumerateArray())
        {
            var prefix = $"[{index++}].";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(prefix.TrimEnd('.'), Validation.OfType("object"));
                continue;
            }
            var id = CustomerIds.ReadReference(item, prefix + "customer", errors);
            if (id > 0 && !seen.Add(id))
            {
                errors.Add(prefix + "customer", "This customer appears more than once in the batch.");
            }
            edits.Add(new BatchEdit(id, CustomerEdit.FromObject(item, replace: false, prefix, errors)));
        }
        return errors.Count > 0 ? ([], errors.ToEnvelope()) : (edits, null);
    }
}
