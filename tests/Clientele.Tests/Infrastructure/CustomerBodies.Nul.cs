namespace Clientele.Tests.Infrastructure;

/// <summary>The one kind of refused value <see cref="CustomerBodies"/> makes: a NUL in a text the server would store.</summary>
public sealed partial class CustomerBodies
{
    /// <summary>
    /// One member whose value holds a NUL in a text the server would store, and the code of the field that must
    /// refuse it (400, "This value should not contain NUL characters."): a text member (<c>company</c>, flat
    /// <c>city</c>…), a nested location member (<c>location.city</c>), a tag name or colour (<c>tags[1].name</c>),
    /// a <c>customData</c> property name or string value in either form (<c>customData.k</c>, <c>customData[0].value</c>).
    /// </summary>
    public (string Key, string Raw, string Code, string Kind) NulFault()
    {
        switch (rng.Next(8))
        {
            case 0:
            case 1:
            case 2:
            {
                var key = rng.Pick([.. TextFields, .. UrlFields, .. SearchOnlyFields, .. LocationFields, "notes", "email", "userId", "locale"]);
                var text = key switch
                {
                    "email" => $"{rng.Pick(EmailLocals)}.{NextNumber()}@{rng.Pick(EmailDomains)}",
                    "locale" => rng.Pick(ValidLocales),
                    "userId" => Unique("user"),
                    _ => FuzzJson.WeirdString(rng, 40),
                };
                var max = key == "notes" ? 65535 : UrlFields.Contains(key) ? 2048 : 255;
                return (key, FuzzJson.Str(FuzzJson.WithNul(rng, text, max), rng), key, "NUL in a text member");
            }
            case 3:
            {
                var members = LocationFields.OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).Select(m => (m, FuzzJson.Str(FuzzJson.WeirdString(rng, 30), rng))).ToList();
                var at = rng.Next(members.Count);
                members[at] = (members[at].m, FuzzJson.Str(FuzzJson.WithNul(rng, FuzzJson.WeirdString(rng, 30), 255), rng));
                return ("location", FuzzJson.Obj(members, rng), "location." + members[at].m, "NUL in a location member");
            }
            case 4:
            {
                var tags = NextTags(rng.Next(0, 4)).Select(t => FuzzJson.Obj(("name", FuzzJson.Str(t.Name, rng)))).ToList();
                var at = rng.Next(tags.Count + 1);
                var colour = rng.Chance(0.3);
                tags.Insert(at, colour
                    ? FuzzJson.Obj(("name", FuzzJson.Str(Unique("c"), rng)), ("color", FuzzJson.Str(FuzzJson.WithNul(rng, rng.Pick(Colours), 32), rng)))
                    : FuzzJson.Obj(("name", FuzzJson.Str(FuzzJson.WithNul(rng, rng.Pick(TagNames), 100), rng))));
                return ("tags", FuzzJson.Arr(tags), $"tags[{at}].{(colour ? "color" : "name")}", colour ? "NUL in a tag colour" : "NUL in a tag name");
            }
            default:
            {
                var entries = NextCustomData(rng.Next(0, 4)).Select(e => (e.Property, Raw: e.Value?.Raw ?? "null")).ToList();
                var at = rng.Next(entries.Count + 1);
                var inName = rng.Chance(0.5);
                var property = inName ? FuzzJson.WithNul(rng, rng.Pick(PropertyNames), 255) : Unique("p");
                entries.Insert(at, (property, inName ? rng.Pick("1", "true", "\"v\"", "null") : FuzzJson.Str(FuzzJson.WithNul(rng, FuzzJson.WeirdString(rng, 40), 255), rng)));
                if (rng.Chance(0.5))
                {
                    return ("customData", FuzzJson.Obj(entries, rng), "customData." + property, inName ? "NUL in a customData property" : "NUL in a customData string");
                }
                var items = entries.Select(e => FuzzJson.Obj([("property", FuzzJson.Str(e.Property, rng)), ("value", e.Raw)], rng));
                return ("customData", FuzzJson.Arr(items), $"customData[{at}].{(inName ? "property" : "value")}", inName ? "NUL in a customData property (list)" : "NUL in a customData string (list)");
            }
        }
    }
}
