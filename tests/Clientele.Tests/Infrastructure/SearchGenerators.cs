using FsCheck;
using FsCheck.Fluent;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// FsCheck generators of search requests over a known dataset: values are drawn mostly from the data (in another
/// case, or as substrings) so that clauses match some customers and miss others; and a shrinker that simplifies
/// a failing request clause by clause.
/// </summary>
public static class SearchGenerators
{
    private static readonly string[] TextOperators = ["=", "!=", "~", "!~"];
    private static readonly string[] OrderOperators = ["=", "!=", ">", "<", ">=", "<="];

    /// <summary>Needles that stress quoting and matching: quotes (FTS5 phrase syntax), LIKE wildcards, emoji.</summary>
    private static readonly string[] TrickyNeedles = ["\"", "\"hi", "hi\"", "'", "O'B", "%", "_", "😀", "😀 s", "ÉMI", "жан", "*", "\"\"", "a\"b", "NEAR", "x OR y", ""];

    public static Arbitrary<SearchQuery> Queries(IReadOnlyList<CustomerSpec> data) => Arb.From(Query(data), Shrink);

    public static Gen<SearchQuery> Query(IReadOnlyList<CustomerSpec> data) =>
        from clauses in Weighted((1, Gen.Constant(0)), (5, Gen.Choose(1, 2)), (3, Gen.Choose(3, 4))).SelectMany(n => Clause(data).ListOf(n))
        from comparison in Gen.Elements<string?>(null, "AND", "OR", "or", "And", "oR", "OR")
        from sort in Weighted((1, Gen.Constant<string?>(null)), (3, Gen.Elements(SearchFields.Sortable).Select(s => (string?)s)))
        from alias in Weighted((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from order in Gen.Elements<string?>(null, "asc", "desc", "DESC", "Asc", "desc")
        from offset in Weighted((3, Gen.Constant<int?>(null)), (2, Gen.Choose(0, data.Count + 2).Select(i => (int?)i)))
        from limit in Weighted((2, Gen.Constant<int?>(null)), (3, Gen.Choose(1, 10).Select(i => (int?)i)), (1, Gen.Choose(11, 100).Select(i => (int?)i)))
        from strings in Weighted((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from empty in Gen.Elements(false, true)
        select new SearchQuery([.. clauses], comparison, sort, alias && sort is not null, order, offset, limit, strings, empty);

    private static Gen<Clause> Clause(IReadOnlyList<CustomerSpec> data) => Weighted(
        (7, Text(data)),
        (3, Date(data)),
        (2, Id(data)),
        (1, Flag()),
        (2, Tags()),
        (4, Custom(data)));

    private static Gen<Clause> Text(IReadOnlyList<CustomerSpec> data) =>
        from field in Gen.Elements(SearchFields.Text)
        from op in Gen.Elements(TextOperators)
        from clause in op is "=" or "!="
            ? Equality(field, op, [.. data.Select(c => c.TextOf(field)).OfType<string>().Distinct()])
            : Containment(field, op, [.. data.Select(c => c.TextOf(field)).OfType<string>().Distinct()])
        select clause;

    private static Gen<Clause> Equality(string field, string op, string[] values) => Weighted(
        (1, Gen.Constant<Clause>(new TextClause(field, op, null))),
        (values.Length == 0 ? 0 : 6, Gen.Elements(values.Length == 0 ? [""] : values).SelectMany(CaseVariant).Select(v => (Clause)new TextClause(field, op, v))),
        (2, Gen.Elements([.. CustomerData.Words, .. CustomerData.Emails, .. CustomerData.Phones]).SelectMany(CaseVariant).Select(v => (Clause)new TextClause(field, op, v))),
        (1, Gen.Elements("50", "12345").Select(v => (Clause)new TextClause(field, op, v, AsNumber: true))));

    private static Gen<Clause> Containment(string field, string op, string[] values) => Weighted(
        (values.Length == 0 ? 0 : 6, Gen.Elements(values.Length == 0 ? [""] : values).SelectMany(Substring).SelectMany(CaseVariant)),
        (2, Gen.Elements([.. CustomerData.Words, .. CustomerData.Emails]).SelectMany(Substring).SelectMany(CaseVariant)),
        (1, Gen.Elements(TrickyNeedles)))
        .Select(needle => (Clause)new TextClause(field, op, needle));

    private static Gen<Clause> Date(IReadOnlyList<CustomerSpec> data) =>
        from field in Gen.Elements(SearchFields.Dates)
        from op in Gen.Elements(OrderOperators)
        from seconds in Weighted(
            (op is "=" or "!=" ? 1 : 0, Gen.Constant<long?>(null)),
            (6, Seconds([.. data.Select(c => c.DateOf(field)).OfType<long>()])))
        from form in Gen.Elements(Enum.GetValues<NumberForm>())
        select (Clause)new DateClause(field, op, seconds, form);

    private static Gen<long?> Seconds(long[] values) =>
        (values.Length == 0 ? Gen.Elements(CustomerData.Timestamps) : Weighted((4, Gen.Elements(values)), (1, Gen.Elements(CustomerData.Timestamps))))
        .SelectMany(v => Gen.Elements(-1L, 0L, 0L, 1L).Select(d => (long?)Math.Max(0, v + d)));

    private static Gen<Clause> Id(IReadOnlyList<CustomerSpec> data) =>
        from op in Gen.Elements(OrderOperators)
        from key in data.Count == 0
            ? Gen.Constant<int?>(null)
            : Weighted((5, Gen.Choose(0, data.Count - 1).Select(k => (int?)data[k].Key)), (1, Gen.Constant<int?>(null)))
        from offset in key is null ? Gen.Elements(0L, 1L, 9_000_000_000L) : Gen.Elements(-1L, 0L, 0L, 1L)
        from asString in Gen.Elements(false, true)
        select (Clause)new IdClause(op, key, offset, asString);

    private static Gen<Clause> Flag() =>
        from field in Gen.Elements(SearchFields.Flags)
        from op in Gen.Elements("=", "!=")
        from value in Gen.Elements(false, true)
        select (Clause)new FlagClause(field, op, value);

    private static Gen<Clause> Tags() =>
        from names in Gen.SubListOf(CustomerData.TagNames)
        from extra in Weighted((4, Gen.Constant<string[]>([])), (1, Gen.Elements<string[]>(["missing"], ["Vip"], ["LEAD"])))
        from shuffled in Gen.Shuffle([.. names.Take(3), .. extra])
        select (Clause)new TagsClause(shuffled);

    private static Gen<Clause> Custom(IReadOnlyList<CustomerSpec> data) =>
        from property in Weighted((6, Gen.Elements(CustomerData.Properties)), (1, Gen.Constant("missing")))
        let stored = data.Select(c => c.CustomOf(property)).OfType<CustomValue>().ToArray()
        from clause in Weighted(
            (4, CustomText(property, [.. stored.Where(v => v.Kind == System.Text.Json.JsonValueKind.String).Select(v => v.AsText)])),
            (4, CustomNumber(property, [.. stored.Where(v => v.Kind == System.Text.Json.JsonValueKind.Number).Select(v => v.Raw)])),
            (2, from op in Gen.Elements("=", "!=") from flag in Gen.Elements(false, true) select (Clause)new CustomClause(property, op, CustomValue.Flag(flag))),
            (1, from op in Gen.Elements("=", "!=") select (Clause)new CustomClause(property, op, null)))
        select clause;

    private static Gen<Clause> CustomText(string property, string[] values) =>
        from op in Gen.Elements(TextOperators)
        from text in values.Length > 0 && op is "=" or "!="
            ? Weighted((4, Gen.Elements(values).SelectMany(CaseVariant)), (1, Gen.Elements(CustomerData.CustomTexts)))
            : values.Length > 0
                ? Weighted((4, Gen.Elements(values).SelectMany(Substring).SelectMany(CaseVariant)), (1, Gen.Elements(TrickyNeedles)))
                : Gen.Elements(CustomerData.CustomTexts)
        select (Clause)new CustomClause(property, op, CustomValue.Text(text));

    private static Gen<Clause> CustomNumber(string property, string[] values) =>
        from op in Gen.Elements(OrderOperators)
        from raw in values.Length > 0
            ? Weighted((4, Gen.Elements(values)), (1, Gen.Elements(CustomerData.CustomNumbers)), (1, Gen.Elements("4.99", "-0.5", "1E2")))
            : Gen.Elements(CustomerData.CustomNumbers)
        select (Clause)new CustomClause(property, op, CustomValue.Number(raw));

    /// <summary><c>Gen.Frequency</c> without the choices weighted 0 (those that do not apply to this dataset).</summary>
    private static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] choices) => Gen.Frequency(choices.Where(c => c.Weight > 0));

    private static Gen<string> CaseVariant(string text) =>
        Gen.Elements(text, text, text.ToUpperInvariant(), text.ToLowerInvariant(), CustomerData.CaseVariant(new Random(text.Length), text));

    /// <summary>A run of 1–6 whole characters (runes, never half an emoji): short ones take the plain path, three or more the trigram index.</summary>
    private static Gen<string> Substring(string text)
    {
        var runes = text.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (runes.Length == 0)
        {
            return Gen.Constant("");
        }
        return from start in Gen.Choose(0, runes.Length - 1)
               let room = Math.Min(6, runes.Length - start)
               from length in room < 3 ? Gen.Choose(1, room) : Weighted((1, Gen.Choose(1, 2)), (2, Gen.Choose(3, room)))
               select string.Concat(runes.Skip(start).Take(length));
    }

    /// <summary>Simpler requests first: fewer clauses, default paging and order, plainer values.</summary>
    public static IEnumerable<SearchQuery> Shrink(SearchQuery query)
    {
        for (var i = 0; i < query.Clauses.Count; i++)
        {
            yield return query with { Clauses = [.. query.Clauses.Where((_, j) => j != i)] };
        }
        if (query.Offset is not null)
        {
            yield return query with { Offset = null };
        }
        if (query.Limit is not null)
        {
            yield return query with { Limit = null };
        }
        if (query.Sort is not null)
        {
            yield return query with { Sort = null, SortAlias = false };
        }
        if (query.Order is not null)
        {
            yield return query with { Order = null };
        }
        if (query.Comparison is not null && query.Clauses.Count <= 1)
        {
            yield return query with { Comparison = null };
        }
        if (query.SortAlias)
        {
            yield return query with { SortAlias = false };
        }
        if (query.PagingAsStrings)
        {
            yield return query with { PagingAsStrings = false };
        }
        if (query.EmptyFilter)
        {
            yield return query with { EmptyFilter = false };
        }
        for (var i = 0; i < query.Clauses.Count; i++)
        {
            foreach (var simpler in ShrinkClause(query.Clauses[i]))
            {
                var clauses = query.Clauses.ToArray();
                clauses[i] = simpler;
                yield return query with { Clauses = clauses };
            }
        }
    }

    private static IEnumerable<Clause> ShrinkClause(Clause clause)
    {
        switch (clause)
        {
            case TextClause { AsNumber: true } text:
                yield return text with { AsNumber = false };
                break;
            case TextClause { Needle: { } needle } text when needle.EnumerateRunes().Count() > 1:
                var runes = needle.EnumerateRunes().Select(r => r.ToString()).ToArray();
                yield return text with { Needle = string.Concat(runes.Skip(1)) };
                yield return text with { Needle = string.Concat(runes.SkipLast(1)) };
                break;
            case DateClause { Form: not NumberForm.Number } date:
                yield return date with { Form = NumberForm.Number };
                break;
            case IdClause { AsString: true } id:
                yield return id with { AsString = false };
                break;
            case TagsClause tags when tags.Names.Count > 0:
                for (var i = 0; i < tags.Names.Count; i++)
                {
                    yield return new TagsClause([.. tags.Names.Where((_, j) => j != i)]);
                }
                break;
        }
    }
}
