/// Adding or subtracting would leave the range of a field's type: the change is refused instead
/// of trapping.
public struct ArithmeticOverflow: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field, as `Aggregate.field` for state or `View.field` for a view.
    public var field: String

    /// Creates the error for a field.
    public init(field: String) {
        self.field = field
    }

    public var description: String { "\(field) would overflow" }
}

/// The arithmetic of generated `add` and `subtract` operations: checked, throwing
/// ``ArithmeticOverflow`` where plain Swift arithmetic would stop the process.
public enum CheckedArithmetic {
    /// `value + amount`, or an error naming `field`.
    @inlinable
    public static func add<Value: FixedWidthInteger>(_ value: Value, _ amount: Value, field: @autoclosure () -> String) throws(ArithmeticOverflow) -> Value {
        let (result, overflow) = value.addingReportingOverflow(amount)
        if overflow { throw ArithmeticOverflow(field: field()) }
        return result
    }

    /// `value - amount`, or an error naming `field`.
    @inlinable
    public static func subtract<Value: FixedWidthInteger>(_ value: Value, _ amount: Value, field: @autoclosure () -> String) throws(ArithmeticOverflow) -> Value {
        let (result, overflow) = value.subtractingReportingOverflow(amount)
        if overflow { throw ArithmeticOverflow(field: field()) }
        return result
    }

    /// `value + amount`, or an error naming `field` when the result is not finite.
    @inlinable
    public static func add<Value: BinaryFloatingPoint>(_ value: Value, _ amount: Value, field: @autoclosure () -> String) throws(ArithmeticOverflow) -> Value {
        let result = value + amount
        if !result.isFinite, value.isFinite, amount.isFinite { throw ArithmeticOverflow(field: field()) }
        return result
    }

    /// `value - amount`, or an error naming `field` when the result is not finite.
    @inlinable
    public static func subtract<Value: BinaryFloatingPoint>(_ value: Value, _ amount: Value, field: @autoclosure () -> String) throws(ArithmeticOverflow) -> Value {
        let result = value - amount
        if !result.isFinite, value.isFinite, amount.isFinite { throw ArithmeticOverflow(field: field()) }
        return result
    }
}
