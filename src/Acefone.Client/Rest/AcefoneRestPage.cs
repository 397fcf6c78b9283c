using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>One page: its items (plain values, see <see cref="JsonTree"/>) and why paging stopped after it, if it did.</summary>
    public sealed class AcefoneRestPage
    {
        internal AcefoneRestPage(IReadOnlyList<object?> items, RestPagingStyle style, int number, bool isLast, string? warning)
        {
            Items = items;
            Style = style;
            Number = number;
            IsLast = isLast;
            Warning = warning;
        }

        public IReadOnlyList<object?> Items { get; }
        public RestPagingStyle Style { get; }
        /// <summary>1 for the first page asked for.</summary>
        public int Number { get; }
        public bool IsLast { get; }
        /// <summary>Set when paging stopped because the API misbehaved (a cursor that repeats, too many pages).</summary>
        public string? Warning { get; }
        /// <summary>The answer this page came in (its status and headers).</summary>
        public AcefoneRestResponse? Response { get; internal set; }
    }
}
