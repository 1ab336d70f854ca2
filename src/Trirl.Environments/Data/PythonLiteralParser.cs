using System.Globalization;

namespace Trirl.Environments.Data;

/// <summary>
/// A parser for the Python literals of <c>.npy</c> headers: dicts, tuples, lists, strings, integers (with Python 2's
/// <c>L</c> suffix), <c>True</c>, <c>False</c> and <c>None</c>.
/// </summary>
internal sealed class PythonLiteralParser(string text)
{
    internal sealed record Tuple(List<object?> Items);

    private int pos;

    public object? ParseTop()
    {
        var value = Parse(0);
        SkipSpace();
        if (pos != text.Length) throw new FormatException($"unexpected '{text[pos]}' at offset {pos} after the literal");
        return value;
    }

    private void SkipSpace()
    {
        while (pos < text.Length && text[pos] is ' ' or '\t' or '\n' or '\r') pos++;
    }

    private char Peek()
    {
        SkipSpace();
        if (pos >= text.Length) throw new FormatException("the header ends inside the literal");
        return text[pos];
    }

    private void Expect(char c)
    {
        if (Peek() != c) throw new FormatException($"expected '{c}' at offset {pos}, found '{text[pos]}'");
        pos++;
    }

    private object? Parse(int depth)
    {
        if (depth > 32) throw new FormatException("nested too deeply");
        char c = Peek();
        switch (c)
        {
            case '{':
            {
                pos++;
                var dict = new Dictionary<string, object>(StringComparer.Ordinal);
                while (Peek() != '}')
                {
                    if (Parse(depth + 1) is not string key) throw new FormatException("a dict key is not a string");
                    Expect(':');
                    var value = Parse(depth + 1);
                    if (!dict.TryAdd(key, value!)) throw new FormatException($"the key '{key}' appears twice");
                    if (Peek() == ',') pos++;
                    else if (Peek() != '}') throw new FormatException($"expected ',' or '}}' at offset {pos}");
                }
                pos++;
                return dict;
            }
            case '(':
            case '[':
            {
                char close = c == '(' ? ')' : ']';
                pos++;
                var items = new List<object?>();
                bool comma = false;
                while (Peek() != close)
                {
                    items.Add(Parse(depth + 1));
                    comma = false;
                    if (Peek() == ',') { pos++; comma = true; }
                    else if (Peek() != close) throw new FormatException($"expected ',' or '{close}' at offset {pos}");
                }
                pos++;
                // (x) without a comma is a parenthesised value, not a tuple.
                if (c == '(' && items.Count == 1 && !comma) return items[0];
                return c == '(' ? new Tuple(items) : items;
            }
            case '\'':
            case '"':
            {
                int start = ++pos;
                while (pos < text.Length && text[pos] != c)
                {
                    if (text[pos] == '\\') throw new FormatException("escape sequences are not supported in header strings");
                    pos++;
                }
                if (pos >= text.Length) throw new FormatException("a string is not closed");
                return text[start..pos++];
            }
            default:
            {
                if (c is '-' or '+' || char.IsAsciiDigit(c))
                {
                    int start = pos;
                    if (c is '-' or '+') pos++;
                    while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
                    string digits = text[start..pos];
                    if (pos < text.Length && text[pos] is 'L' or 'l') pos++; // Python 2 long
                    if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
                        throw new FormatException($"'{digits}' is not an integer that fits 64 bits");
                    return v;
                }
                int s = pos;
                while (pos < text.Length && char.IsAsciiLetterOrDigit(text[pos]) || pos < text.Length && text[pos] == '_') pos++;
                return text[s..pos] switch
                {
                    "True" => true,
                    "False" => false,
                    "None" => null,
                    "" => throw new FormatException($"unexpected '{c}' at offset {pos}"),
                    var word => throw new FormatException($"unexpected name '{word}'"),
                };
            }
        }
    }
}
