"""Everything taking part says. (Nothing yet: "who hasn't contributed" comes with its own commands.)"""
