using System.Globalization;
using Clientele.Customers;
using Clientele.Search;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// Turns a <see cref="CustomerSearch"/> into SQLite SQL over <c>customers c</c>. Values are always bound as
/// parameters. Case-insensitive text uses the application-folded <c>*_ci</c> columns where they exist
/// (indexed) and <c>clientele_lower()</c> elsewhere; <c>~</c> on name, email and company goes through the
/// trigram index when the needle has the three characters a trigram needs.
/// </summary>
internal sealed class SqliteSearchSql(SqliteCommand command)
{
    /// <summary>Registered on every connection that searches: the same folding the application does, so SQLite agrees with <see cref="CaseFolding"/>.</summary>
    public const string LowerFunction = "clientele_lower";

    private int _parameters;

    public static string Where(SqliteCommand command, long accountId, CustomerSearch search)
    {
        command.Parameters.AddWithValue("@account_id", accountId);
        if (search.Filters.Count == 0)
        {
            return "c.account_id = @account_id";
        }
        var sql = new SqliteSearchSql(command);
        var clauses = search.Filters.Select(sql.Clause);
        return $"c.account_id = @account_id AND ({string.Join(search.MatchAny ? " OR " : " AND ", clauses)})";
    }

    /// <summary>Nulls last in both directions; ties by id so pages never overlap or skip.</summary>
    public static string OrderBy(CustomerListQuery page)
    {
        if (page.Sort is not { } sort || sort == CustomerField.Id)
        {
            return page.Descending ? "c.id DESC" : "c.id ASC";
        }
        var column = "c." + CustomerTable.Of(sort);
        return $"{column} IS NULL, {column} {(page.Descending ? "DESC" : "ASC")}, c.id ASC";
    }

    private string Clause(FilterClause clause) => clause switch
    {
        FieldClause field => Field(field),
        TagsClause tags => Tags(tags),
        CustomDataClause custom => CustomData(custom),
        _ => throw new ArgumentOutOfRangeException(nameof(clause), clause, null),
    };

    private string Field(FieldClause clause)
    {
        var column = "c." + CustomerTable.Of(clause.Field);
        var value = clause.Value is bool flag ? (flag ? 1L : 0L) : clause.Value;
        if (value is null)
        {
            return clause.Operator == FilterOperator.Equal ? $"{column} IS NULL" : $"{column} IS NOT NULL";
        }
        if (value is not string text)
        {
            return clause.Operator == FilterOperator.NotEqual
                ? $"({column} IS NULL OR {column} <> {Bind(value)})"
                : $"{column} {Comparison(clause.Operator)} {Bind(value)}";
        }
        var folded = FoldedColumn(clause.Field) is { } ci ? "c." + ci : $"{LowerFunction}({column})";
        return clause.Operator switch
        {
            FilterOperator.Equal => $"{folded} = {Bind(text)}",
            FilterOperator.NotEqual => $"({column} IS NULL OR {folded} <> {Bind(text)})",
            FilterOperator.Contains => Contains(clause.Field, folded, text),
            _ => $"({column} IS NULL OR NOT {Contains(clause.Field, folded, text)})",
        };
    }

    private string Contains(CustomerField field, string folded, string needle)
    {
        if (field is CustomerField.Name or CustomerField.Email or CustomerField.Company && needle.EnumerateRunes().Count() >= 3)
        {
            // A trigram phrase query is a substring test; the phrase is quoted, its quotes doubled.
            var match = Bind($"{FoldedColumn(field)} : \"{needle.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
            return $"c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH {match})";
        }
        return $"instr({folded}, {Bind(needle)}) > 0";
    }

    private string Tags(TagsClause clause) =>
        clause.Names.Count == 0
            ? "1 = 1"
            : string.Join(" AND ", clause.Names.Select(name =>
                "EXISTS (SELECT 1 FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id " +
                $"WHERE ct.customer_id = c.id AND t.account_id = c.account_id AND t.name = {Bind(name)})"));

    /// <summary>
    /// A property compares only with values of the same JSON type; <c>!=</c> and <c>!~</c> also match a customer
    /// without the property, as they match a null field.
    /// </summary>
    private string CustomData(CustomDataClause clause)
    {
        var key = Bind(clause.Property);
        var has = $"SELECT 1 FROM json_each(c.custom_data) j WHERE j.key = {key}";
        if (clause.Value is null)
        {
            return clause.Operator == FilterOperator.Equal ? $"NOT EXISTS ({has})" : $"EXISTS ({has})";
        }
        var positive = clause.Value switch
        {
            bool flag => $"j.type = '{(flag ? "true" : "false")}'",
            double number => $"j.type IN ('integer', 'real') AND j.value {Comparison(clause.Operator == FilterOperator.NotEqual ? FilterOperator.Equal : clause.Operator)} {Bind(number)}",
            _ => clause.Operator is FilterOperator.Contains or FilterOperator.NotContains
                ? $"j.type = 'text' AND instr({LowerFunction}(j.value), {Bind(clause.Value)}) > 0"
                : $"j.type = 'text' AND {LowerFunction}(j.value) = {Bind(clause.Value)}",
        };
        return clause.Operator is FilterOperator.NotEqual or FilterOperator.NotContains
            ? $"NOT EXISTS ({has} AND {positive})"
            : $"EXISTS ({has} AND {positive})";
    }

    private static string Comparison(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "<>",
        FilterOperator.Greater => ">",
        FilterOperator.Less => "<",
        FilterOperator.GreaterOrEqual => ">=",
        FilterOperator.LessOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static string? FoldedColumn(CustomerField field) => field switch
    {
        CustomerField.Name => "name_ci",
        CustomerField.Email => "email_ci",
        CustomerField.Company => "company_ci",
        CustomerField.UserId => "user_id_ci",
        CustomerField.Phone => "phone_ci",
        _ => null,
    };

    private string Bind(object value)
    {
        var name = "@p" + (_parameters++).ToString(CultureInfo.InvariantCulture);
        command.Parameters.AddWithValue(name, value);
        return name;
    }
}
