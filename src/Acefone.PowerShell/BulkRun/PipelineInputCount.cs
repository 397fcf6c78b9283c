using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Acefone.PowerShell
{
    /// <summary>
    /// How many objects a pipeline will bring, when that is known before the first arrives: the command comes right
    /// after a variable holding a collection, at the head of its pipeline (<c>$rows | Invoke-AcefoneTransfer</c>).
    /// PowerShell tells a cmdlet nothing about its input's size, so this reads the pipeline's own text; it only
    /// reads a variable, never runs anything. Anything else (Import-Csv, a filter first) is unknown: null.
    /// </summary>
    internal static class PipelineInputCount
    {
        internal static long? TryGet(InvocationInfo invocation, SessionState sessionState)
        {
            if (!invocation.ExpectingInput || string.IsNullOrEmpty(invocation.Line)) return null;
            try
            {
                ScriptBlockAst script = Parser.ParseInput(invocation.Line, out _, out ParseError[] errors);
                if (errors.Length > 0) return null;
                // OffsetInLine is the 1-based column where this command starts in its line.
                var command = script.Find(a => a is CommandAst c && c.Extent.StartColumnNumber == invocation.OffsetInLine, true) as CommandAst;
                if (!(command?.Parent is PipelineAst pipeline) || pipeline.PipelineElements.Count < 2 || pipeline.PipelineElements[1] != command) return null;
                if (!(pipeline.PipelineElements[0] is CommandExpressionAst head) || !(head.Expression is VariableExpressionAst variable)) return null;
                if (variable.Splatted || !variable.VariablePath.IsUnqualified && !variable.VariablePath.IsScript && !variable.VariablePath.IsGlobal) return null;
                object? value = sessionState.PSVariable.GetValue(variable.VariablePath.UserPath);
                if (value is PSObject wrapped) value = wrapped.BaseObject;
                if (value is string || value is IDictionary) return 1;   // piped as one object
                return value is ICollection collection ? collection.Count : (long?)null;
            }
            catch (System.Exception)
            {
                return null;   // progress without a percentage is no failure
            }
        }
    }
}
