using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Acefone.PowerShell
{
    /// <summary>
    /// -Name as Get-Process treats it: any of several wildcard patterns, case-insensitive; a name given without
    /// wildcards that matched nothing is reported, a pattern that matched nothing is not.
    /// </summary>
    internal sealed class NameFilter
    {
        private readonly (string Text, WildcardPattern Pattern, bool Literal)[] _patterns;
        private readonly HashSet<string> _matchedLiterals = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        internal NameFilter(IEnumerable<string>? names)
        {
            _patterns = (names ?? Enumerable.Empty<string>())
                .Where(n => !string.IsNullOrEmpty(n))
                .Select(n => (n, WildcardPattern.Get(n, WildcardOptions.IgnoreCase), !WildcardPattern.ContainsWildcardCharacters(n)))
                .ToArray();
        }

        internal bool IsEmpty => _patterns.Length == 0;

        internal bool Matches(string? value)
        {
            if (_patterns.Length == 0) return true;
            bool any = false;
            foreach (var (text, pattern, literal) in _patterns)
            {
                if (!pattern.IsMatch(value ?? string.Empty)) continue;
                any = true;
                if (literal) _matchedLiterals.Add(text);
            }
            return any;
        }

        /// <summary>The literal names (no wildcards) that matched nothing.</summary>
        internal IEnumerable<string> Unmatched => _patterns
            .Where(p => p.Literal && !_matchedLiterals.Contains(p.Text))
            .Select(p => WildcardPattern.Unescape(p.Text));
    }
}
