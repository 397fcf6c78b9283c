using System;
using System.Globalization;
using System.Management.Automation;

namespace Acefone.PowerShell
{
    /// <summary>Refuses a TimeSpan (or each of several) shorter than the given number of seconds.</summary>
    public sealed class ValidateMinimumTimeSpanAttribute : ValidateArgumentsAttribute
    {
        private readonly double _minimumSeconds;

        public ValidateMinimumTimeSpanAttribute(double minimumSeconds) => _minimumSeconds = minimumSeconds;

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is TimeSpan[] many)
            {
                foreach (TimeSpan one in many) Check(one);
                return;
            }
            if (value is TimeSpan span) Check(span);
        }

        private void Check(TimeSpan value)
        {
            if (value.TotalSeconds < _minimumSeconds)
                throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture,
                    "{0} is shorter than the minimum of {1} s. Give a TimeSpan ('00:00:05') or a number of seconds (5).", value, _minimumSeconds));
        }
    }
}
