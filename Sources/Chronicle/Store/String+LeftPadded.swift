extension String {
    /// The text with zeros in front, up to `width` characters: file names and hex that sort and read well.
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
