a/saved_model.pb
