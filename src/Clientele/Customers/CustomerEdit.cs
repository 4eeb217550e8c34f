using System.Text.Json;
using Clientele.Errors;
using Clientele.Json;

namespace Clientele.Customers;

/// <summary>
/// A validated change to one customer, applied by a store to the record it loaded inside its transaction,
/// so the merge rules live here once and every provider applies them alike.
/// </summary>
public sealed class CustomerEdit
{
    private readonly bool _replace;
    private readonly IReadOnlyList<Action<CustomerRecord>> _setters;

    private CustomerEdit(bool replace, IReadOnlyList<Action<CustomerRecord>> setters)
    {
        _replace = replace;
        _setters = setters;
    }

    /// <summary>
    /// Reads a create, PUT or PATCH body. <paramref name="replace"/> makes every writable field the body
    /// leaves out null / false / empty (create and PUT); otherwise only the fields present change (PATCH).
    /// </summary>
    public static (CustomerEdit? Edit, ErrorEnvelope? Error) FromBody(JsonElement body, bool replace)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, RequestJson.WrongTopLevel("object"));
        }
        var errors = new ErrorList();
        var edit = FromObject(body, replace, "", errors);
        return errors.Count > 0 ? (null, errors.ToEnvelope()) : (edit, null);
    }

    /// <summary>Reads the fields of a body object, adding failures to <paramref name="errors"/> with <paramref name="codePrefix"/> before each path.</summary>
    public static CustomerEdit FromObject(JsonElement body, bool replace, string codePrefix, ErrorList errors) =>
        new(replace, CustomerFields.Read(body, codePrefix, errors));

    /// <summary>Adds the tags the customer lacks, after the ones it has; a tag it has keeps its place.</summary>
    public static CustomerEdit AddTags(IReadOnlyList<TagRecord> tags) => new(false,
    [
        record => record.Tags.AddRange(tags.Where(t => !record.Tags.Exists(existing => existing.Name == t.Name))),
    ]);

    public static CustomerEdit RemoveTags(IReadOnlyList<TagRecord> tags) => new(false,
    [
        record => record.Tags.RemoveAll(existing => tags.Any(t => t.Name == existing.Name)),
    ]);

    /// <summary>
    /// Applies the edit. Limits that depend on what the customer already has (tag and property counts)
    /// are checked here, against the result; <paramref name="codePrefix"/> prefixes error codes (batch items).
    /// </summary>
    public (CustomerRecord? Result, ErrorEnvelope? Error) Apply(CustomerRecord current, string codePrefix = "")
    {
        // Copied first: a merge edits the loaded record in place.
        var loadedTags = current.Tags.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var record = _replace ? current.ClearedCopy() : current;
        foreach (var set in _setters)
        {
            set(record);
        }
        // A tag the customer already has shows the account's colour, whatever colour the request named.
        for (var i = 0; i < record.Tags.Count; i++)
        {
            if (loadedTags.TryGetValue(record.Tags[i].Name, out var loaded))
            {
                record.Tags[i] = loaded;
            }
        }
        var errors = new ErrorList();
        if (record.Tags.Count > CustomerFields.MaxTags)
        {
            errors.Add(codePrefix + "tags", Validation.TooMany(CustomerFields.MaxTags));
        }
        if (record.CustomData.Count > CustomerFields.MaxCustomData)
        {
            errors.Add(codePrefix + "customData", Validation.TooMany(CustomerFields.MaxCustomData));
        }
        return errors.Count > 0 ? (null, errors.ToEnvelope()) : (record, null);
    }
}
