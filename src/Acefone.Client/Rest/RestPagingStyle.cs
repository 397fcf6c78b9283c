using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>How a list endpoint pages.</summary>
    public enum RestPagingStyle
    {
        /// <summary>One answer, no paging fields.</summary>
        None,
        /// <summary><c>last_seen_id</c> + <c>has_more</c> (as /v1/users).</summary>
        Cursor,
        /// <summary><c>page</c> + <c>limit</c> (as /v1/call/records).</summary>
        Page,
    }
}
