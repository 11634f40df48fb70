print("MiterBench")
