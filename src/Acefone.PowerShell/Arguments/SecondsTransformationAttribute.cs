using System;
using System.Globalization;
using System.Management.Automation;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Lets a number bind to a TimeSpan parameter as seconds (-Interval 5), where PowerShell alone would read it as
    /// ticks (5 ticks = 0.5 microseconds). TimeSpans and "hh:mm:ss" text pass through unchanged.
    /// </summary>
    public sealed class SecondsTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case int i: return TimeSpan.FromSeconds(i);
                case long l: return TimeSpan.FromSeconds(l);
                case double d: return TimeSpan.FromSeconds(d);
                case decimal m: return TimeSpan.FromSeconds((double)m);
                case string text when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds):
                    return TimeSpan.FromSeconds(seconds);
                case object[] items:
                    var converted = new object?[items.Length];
                    for (int k = 0; k < items.Length; k++) converted[k] = Transform(engineIntrinsics, items[k]);
                    return converted;
                default: return value;
            }
        }
    }
}
