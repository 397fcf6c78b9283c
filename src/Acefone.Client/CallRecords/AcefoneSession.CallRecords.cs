using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    public sealed partial class AcefoneSession
    {
        /// <summary>Lists call records page by page; see <see cref="CallRecordReader"/>.</summary>
        public CallRecordReader ListCallRecords(CallRecordQuery query)
        {
            if (query == null) throw new ArgumentNullException(nameof(query));
            ThrowIfClosed();
            return new CallRecordReader(this, query);
        }
    }
}
